"""A real IMAP server for the tests and the bench: Dovecot (Debian's dovecot-imapd) started
on 127.0.0.1 with a throwaway configuration: one user in a passwd-file, maildir storage in
a temporary directory, IMAP with STARTTLS and IMAPS on free ports, a self-signed
certificate for 127.0.0.1 made here with `cryptography`. Messages are delivered by IMAP
APPEND, as a mail server would file them."""

import datetime
import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"
USER, PASSWORD = "relances@acme.example", "imap-Secret-42"

CONF = """\
base_dir = {root}/run
state_dir = {root}/state
instance_name = relance-test-{port}
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = {uid}
last_valid_uid = 0
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Processed {{
    auto = create
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap {{
  process_limit = 64
}}
"""


def available() -> bool:
    return os.access(DOVECOT, os.X_OK)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(root: Path) -> Path:
    """A certificate for 127.0.0.1 and localhost and its key, written under `root`."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=7))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (root / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return root / "cert.pem"


class Dovecot:
    """`start()` it, `append()` messages, `stop()` it. The mail user runs as `nobody` when
    the tests run as root (Dovecot never gives mail access to uid 0), as the current user
    otherwise."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="relance-dovecot-"))
        self.root.chmod(0o755)  # the auth process (user dovecot) reads the passwd-file
        self.home = Path(tempfile.mkdtemp(prefix="relance-mail-"))
        self.port, self.ssl_port = free_port(), free_port()
        self.process = None
        self.cert = self_signed(self.root)

    def _config(self) -> Path:
        if os.geteuid() == 0:
            mail = pwd.getpwnam("nobody")
            uid, gid, users = mail.pw_uid, mail.pw_gid, ""
            os.chown(self.home, uid, gid)
        else:
            me = pwd.getpwuid(os.geteuid())
            uid, gid = me.pw_uid, me.pw_gid
            users = (
                f"default_internal_user = {me.pw_name}\n"
                f"default_login_user = {me.pw_name}\n"
                f"default_internal_group = {me.pw_gid}\n"
            )
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        conf = self.root / "dovecot.conf"
        conf.write_text(
            CONF.format(
                root=self.root,
                home=self.home,
                port=self.port,
                ssl_port=self.ssl_port,
                uid=uid,
                gid=gid,
                users=users,
            )
        )
        return conf

    def start(self) -> "Dovecot":
        conf = self._config()
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped: {self.process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on {self.port}: {self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)
        shutil.rmtree(self.home, ignore_errors=True)

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))

    def connect(self) -> imaplib.IMAP4_SSL:
        imap = imaplib.IMAP4_SSL("127.0.0.1", self.ssl_port, ssl_context=self.context())
        imap.login(USER, PASSWORD)
        return imap

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver `messages` into `folder`, unread, in one IMAP session."""
        imap = self.connect()
        try:
            for raw in messages:
                status, answer = imap.append(folder, None, None, raw)
                if status != "OK":
                    raise RuntimeError(f"APPEND refused: {answer}")
        finally:
            imap.logout()

    def count(self, folder: str = "INBOX", criteria: str = "ALL") -> int:
        imap = self.connect()
        try:
            imap.select(folder)
            _status, data = imap.search(None, criteria)
            return len(data[0].split())
        finally:
            imap.logout()

    def settings(self, security: str = "ssl", **more) -> dict:
        """The IMAP connector's settings for this server."""
        port = self.ssl_port if security == "ssl" else self.port
        return {
            "host": "127.0.0.1",
            "port": port,
            "security": security,
            "username": USER,
            "password": PASSWORD,
            "ca_file": str(self.cert),
            **more,
        }
