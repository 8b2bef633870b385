from django.core.mail import send_mail


def test_mail_reaches_the_local_smtp_server(smtp_server):
    send_mail("Sujet é", "Corps é", None, ["a@example.org"])
    message = smtp_server.wait_for(1)[0]
    assert message["Subject"] == "Sujet é"
    assert message["To"] == "a@example.org"
    assert "Corps é" in message.get_content()
