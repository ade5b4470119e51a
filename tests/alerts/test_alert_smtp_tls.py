"""SMTP security options against a real aiosmtpd server with a self-signed certificate:
STARTTLS with login, implicit TLS (ssl), and a certificate that is not trusted."""

from __future__ import annotations

import shutil
import smtplib
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from alert_support import _Sink, free_port

from alerts import AlertConfigError, Composed, SmtpConfig
from alerts._email import build_email, send_email

MESSAGE = Composed(subject="[oitwatch] ทดสอบ", text="สวัสดี\n", html="<p>สวัสดี</p>")


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*cert)
    return context


def _auth(server: object, session: object, envelope: object, mechanism: str,
          data: object) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"mon", b"pw")
    return AuthResult(success=ok)


@pytest.fixture
def starttls_server(cert: tuple[Path, Path]) -> Iterator[tuple[int, _Sink]]:
    sink = _Sink()
    controller = Controller(
        sink, hostname="127.0.0.1", port=free_port(), tls_context=_server_context(cert),
        require_starttls=True, authenticator=_auth, auth_require_tls=True,
    )
    controller.start()
    try:
        yield controller.port, sink
    finally:
        controller.stop()


def _email(to: str = "saraban@monitor.go.th"):  # type: ignore[no-untyped-def]
    return build_email(MESSAGE, sender="oitwatch@monitor.go.th", to=to,
                       message_id="<t@monitor.go.th>", lang="th")


def test_starttls_and_login(cert: tuple[Path, Path], starttls_server: tuple[int, _Sink]) -> None:
    port, sink = starttls_server
    config = SmtpConfig(host="127.0.0.1", port=port, security="starttls", user="mon",
                        password="pw", ca_file=str(cert[0]), timeout=5)
    send_email(config, _email())
    [msg] = sink.messages
    assert str(msg["Subject"]) == "[oitwatch] ทดสอบ"
    # the certificate is checked: without the CA, nothing is sent
    untrusted = SmtpConfig(host="127.0.0.1", port=port, security="starttls", user="mon",
                           password="pw", timeout=5)
    with pytest.raises(ssl.SSLCertVerificationError):
        send_email(untrusted, _email())
    assert len(sink.messages) == 1
    # the server wants TLS first: "none" cannot send there
    plain = SmtpConfig(host="127.0.0.1", port=port, security="none", timeout=5)
    with pytest.raises(smtplib.SMTPException):
        send_email(plain, _email())
    assert len(sink.messages) == 1


def test_implicit_tls(cert: tuple[Path, Path]) -> None:
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(),
                            ssl_context=_server_context(cert))
    controller.start()
    try:
        send_email(SmtpConfig(host="127.0.0.1", port=controller.port, security="ssl",
                              ca_file=str(cert[0]), timeout=5), _email())
    finally:
        controller.stop()
    assert len(sink.messages) == 1


def test_no_password_in_clear_text() -> None:
    with pytest.raises(AlertConfigError, match="unencrypted"):
        SmtpConfig(host="smtp.example.go.th", security="none", user="u", password="p")
    with pytest.raises(AlertConfigError):
        SmtpConfig.from_env({"OITWATCH_SMTP_PORT": "twenty-five"})
    env = SmtpConfig.from_env({"OITWATCH_SMTP_HOST": "smtp.example.go.th"})
    assert (env.security, env.effective_port) == ("starttls", 587)
    assert SmtpConfig.from_env({}).security == "none"  # localhost relay
