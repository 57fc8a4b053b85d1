from django.urls import path

from community import views_menus as views

urlpatterns = [
    path("", views.menu_family, name="menu_family"),
    path("kitchen/", views.menu_kitchen, name="menu_kitchen"),
    path("school/<int:school_id>/week/", views.menu_week, name="menu_week"),
    path("school/<int:school_id>/week/dishes/", views.menu_dish_add, name="menu_dish_add"),
    path("school/<int:school_id>/week/copy/", views.menu_week_copy, name="menu_week_copy"),
    path("school/<int:school_id>/week/publish/", views.menu_week_publish, name="menu_week_publish"),
    path("school/<int:school_id>/day/", views.menu_day, name="menu_day"),
    path("school/<int:school_id>/foods/", views.menu_foods, name="menu_foods"),
    path("school/<int:school_id>/foods/<int:food_id>/", views.menu_food, name="menu_food"),
    path("school/<int:school_id>/prices/", views.menu_prices, name="menu_prices"),
    path("school/<int:school_id>/targets/", views.menu_targets, name="menu_targets"),
    path("dishes/<int:dish_id>/", views.menu_dish, name="menu_dish"),
    path("dishes/<int:dish_id>/ingredients/", views.menu_ingredient_add, name="menu_ingredient_add"),
    path("dishes/<int:dish_id>/substitutes/", views.menu_substitute, name="menu_substitute"),
    path("ingredients/<int:ingredient_id>/", views.menu_ingredient, name="menu_ingredient"),
]
