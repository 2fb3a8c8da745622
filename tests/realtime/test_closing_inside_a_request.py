"""A request that closes sockets (publisher.close_*) goes on with what it loaded: each
closing socket's disconnect handler runs inside the request, in an app context (and so a
database session) of its own."""

from builders import PASSWORD


def test_signing_in_where_a_guest_board_is_open_closes_it_and_signs_in(
    scene, guest_client, open_socket
):
    browser = guest_client(scene.code)
    board = open_socket(browser, scene.meeting_id)
    assert board.is_connected()
    response = browser.post("/login", data={"email": scene.worker.email, "password": PASSWORD})
    assert response.status_code == 302  # was a 500: the user it loaded could not be read
    assert not board.is_connected()
    assert browser.get("/cases").status_code == 200  # signed in as the worker now
