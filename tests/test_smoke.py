def test_world_builds(world, client):
    client.force_login(world.parent)
    response = client.get("/family/")
    assert response.status_code == 200
    assert "Nguyễn Minh Khôi" in response.content.decode()
