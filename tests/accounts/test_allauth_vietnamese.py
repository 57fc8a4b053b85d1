"""allauth ships no Vietnamese: its pages are translated by the catalogue in locale-allauth/."""

import pytest

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_in_vietnamese_by_default(client):
    page = client.get("/accounts/login/").content.decode()
    assert "Email hoặc số điện thoại" in page
    assert "Quên mật khẩu?" in page
    assert "Ghi nhớ đăng nhập" in page
    assert "Nếu bạn chưa có tài khoản, vui lòng" in page
    assert "Sign In" not in page
    assert "Forgot your password?" not in page


def test_sign_up_page_is_in_vietnamese_by_default(client):
    page = client.get("/accounts/signup/").content.decode()
    assert "Nhập lại mật khẩu" in page
    assert "Email (không bắt buộc)" in page
    assert "Bạn đã có tài khoản? Vui lòng" in page
    assert "Sign Up" not in page
    assert "Password (again)" not in page


def test_a_wrong_password_is_explained_in_vietnamese(client):
    page = client.post("/accounts/login/", {"login": "khong-co@example.test", "password": "sai-mat-khau"})
    assert "Địa chỉ email hoặc mật khẩu bạn nhập chưa đúng." in page.content.decode()


def test_the_english_switch_still_gives_english(client):
    client.cookies["django_language"] = "en"
    login = client.get("/accounts/login/").content.decode()
    assert "Sign In" in login and "Forgot your password?" in login
    assert "Quên mật khẩu?" not in login
    signup = client.get("/accounts/signup/").content.decode()
    assert "Password (again)" in signup and "Nhập lại mật khẩu" not in signup
