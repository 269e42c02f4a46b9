"""edXML packages on one core: writing and signing, reading and verifying, and reading's memory.

Throughput is measured in this process, one package after another on one thread, for a document
package with one 1 MB attachment: ``write + sign`` turns the package into bytes and signs them,
``read + verify`` checks the signature (``SignatureMode.required``, the sender's certificate as
the trust anchor) and reads the bytes back into the model. Each half is also timed alone, so a
reader of the figures sees which step costs what.

Memory is measured in a fresh process per case (``python -m bench.edxml probe ...``), so nothing
the bench itself allocated counts: the process loads the 50 MB package from a file and reads it;
the figure is its peak resident memory above what it held before loading the file, so the
package's own bytes are included. The goal is below 4 times the package's size.

``python -m bench.edxml`` runs these figures alone; ``python -m bench`` runs them after the
gateway's.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from rich.console import Console
from rich.table import Table

from mappings.edxml.package import (
    Attachment,
    DocumentCode,
    DocumentKind,
    MessageHeader,
    Organisation,
    Package,
    Promulgation,
    Trace,
)
from mappings.edxml.reader import read_package
from mappings.edxml.signature import SignatureMode, sign_package, verify_package
from mappings.edxml.writer import write_package

REPOSITORY = Path(__file__).resolve().parents[1]
ATTACHMENT_BYTES = 1024 * 1024
LARGE_PACKAGE_BYTES = 50 * 1024 * 1024
GOAL_PACKAGES_PER_SECOND = 200.0
GOAL_MEMORY_RATIO = 4.0


@dataclass(frozen=True, slots=True)
class Signer:
    key_pem: bytes
    cert_pem: bytes


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` packages done one after another in ``seconds`` (wall) and ``cpu_seconds``."""

    count: int
    seconds: float
    cpu_seconds: float

    def as_json(self) -> dict[str, Any]:
        return {
            "packages": self.count,
            "seconds": round(self.seconds, 3),
            "packages_per_second": round(self.count / self.seconds, 1),
            "cpu_ms_per_package": round(self.cpu_seconds * 1000 / self.count, 2),
        }


def measure(console: Console, *, packages: int) -> dict[str, Any]:
    """Every figure of this module, as ``latest.json`` keeps them under ``edxml``."""
    signer = development_signer()
    letter = document(os.urandom(ATTACHMENT_BYTES))
    unsigned = write_package(letter)
    signed = sign_package(unsigned, key_pem=signer.key_pem, cert_pem=signer.cert_pem)
    anchors = (signer.cert_pem,)
    console.print(
        f"[bold]edXML[/bold]: {packages:,} packages of {len(signed) / 2**20:.2f} MB "
        f"(one {ATTACHMENT_BYTES // 2**20} MB attachment), one after another"
    )

    def sign() -> None:
        sign_package(unsigned, key_pem=signer.key_pem, cert_pem=signer.cert_pem)

    def write_and_sign() -> None:
        sign_package(write_package(letter), key_pem=signer.key_pem, cert_pem=signer.cert_pem)

    def verify() -> None:
        verify_package(signed, trust_anchors=anchors, mode=SignatureMode.required)

    def verify_and_read() -> None:
        verify()
        read_package(signed)

    from_windows = in_windows_lines(letter, signer)

    def verify_and_read_windows_lines() -> None:
        verify_package(from_windows, trust_anchors=anchors, mode=SignatureMode.required)
        read_package(from_windows)

    throughput = {
        name: _rate(step, packages).as_json()
        for name, step in (
            ("write_sign", write_and_sign),
            ("write", lambda: write_package(letter)),
            ("sign", sign),
            ("read_verify", verify_and_read),
            ("read", lambda: read_package(signed)),
            ("verify", verify),
            ("read_verify_windows_lines", verify_and_read_windows_lines),
        )
    }
    console.print(
        f"[bold]edXML[/bold]: peak memory of reading a {LARGE_PACKAGE_BYTES // 2**20} MB package"
    )
    memory = _memory(signer)
    return {
        "package_bytes": len(signed),
        "attachment_bytes": ATTACHMENT_BYTES,
        "goal_packages_per_second": GOAL_PACKAGES_PER_SECOND,
        "goal_memory_ratio": GOAL_MEMORY_RATIO,
        "throughput": throughput,
        "memory": memory,
    }


def show(console: Console, figures: dict[str, Any]) -> None:
    table = Table(
        title=(
            f"edXML on one core: packages of {figures['package_bytes'] / 2**20:.2f} MB "
            f"(one {figures['attachment_bytes'] // 2**20} MB attachment)"
        ),
        caption="write: mappings.edxml.write_package; read: read_package",
    )
    for column in ("step", "packages", "per second", "CPU ms each", "goal"):
        table.add_column(column, justify="left" if column == "step" else "right")
    goal = figures["goal_packages_per_second"]
    labels = {
        "write_sign": "write + sign",
        "write": "  write",
        "sign": "  sign",
        "read_verify": "read + verify",
        "read": "  read",
        "verify": "  verify",
        "read_verify_windows_lines": "read + verify, base64 in Windows lines",
    }
    for name, label in labels.items():
        run = figures["throughput"][name]
        verdict = ""
        if name in ("write_sign", "read_verify", "read_verify_windows_lines"):
            met = run["packages_per_second"] >= goal
            verdict = f"≥ {goal:,.0f} " + ("[green]met[/green]" if met else "[red]missed[/red]")
        table.add_row(
            label,
            f"{run['packages']:,}",
            f"{run['packages_per_second']:,.1f}",
            f"{run['cpu_ms_per_package']:.2f}",
            verdict,
        )
    console.print(table)
    memory = Table(title="edXML: peak memory above the process before it loaded the package")
    for column in ("case", "package MB", "peak MB", "× package", "goal"):
        memory.add_column(column, justify="left" if column == "case" else "right")
    ratio_goal = figures["goal_memory_ratio"]
    for case in figures["memory"]:
        met = case["ratio"] < ratio_goal
        memory.add_row(
            case["case"],
            f"{case['package_mb']:.1f}",
            f"{case['peak_mb']:.1f}",
            f"{case['ratio']:.2f}",
            (f"< {ratio_goal:g} " + ("[green]met[/green]" if met else "[red]missed[/red]"))
            if case["case"] == "read"
            else "",
        )
    console.print(memory)


def in_windows_lines(letter: Package, signer: Signer) -> bytes:
    """``letter`` written and signed as a sender on Windows sends it: its attachments' base64 in
    lines of 76 ending in a carriage return and a line feed (.NET's ``Convert.ToBase64String``
    with ``InsertLineBreaks``), signed over the line feeds a parser reads."""
    texts = [base64.b64encode(attachment.content) for attachment in letter.attachments]
    lines = [[text[i : i + 76] for i in range(0, len(text), 76)] for text in texts]
    unsigned = write_package(letter)
    for text, its_lines in zip(texts, lines, strict=True):
        unsigned = unsigned.replace(text, b"\n".join(its_lines))
    signed = sign_package(unsigned, key_pem=signer.key_pem, cert_pem=signer.cert_pem)
    for its_lines in lines:
        signed = signed.replace(b"\n".join(its_lines), b"\r\n".join(its_lines))
    return signed


def development_signer() -> Signer:
    """A throwaway RSA 2048 key and self-signed certificate, as the gateway's development key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "000.00.00.H56"),
            x509.NameAttribute(NameOID.COMMON_NAME, "lienthong bench key"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now.replace(year=now.year - 1))
        .not_valid_after(now.replace(year=now.year + 1))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Signer(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
    )


def document(attachment: bytes) -> Package:
    """An official letter from the province to the Government Office, with one attachment."""
    return Package(
        header=MessageHeader(
            From=Organisation(OrganId="000.00.00.H56", OrganName="UBND tỉnh Thanh Hóa"),
            To=(Organisation(OrganId="000.00.00.G22", OrganName="Văn phòng Chính phủ"),),
            Code=DocumentCode(CodeNumber="125", CodeNotation="UBND-VP"),
            PromulgationInfo=Promulgation(Place="Thanh Hóa", PromulgationDate=date(2026, 11, 20)),
            DocumentType=DocumentKind(Type="1", TypeName="Công văn"),
            Subject="Về việc triển khai liên thông văn bản điện tử",
            DocumentId="000.00.00.H56,2026/11/20,125/UBND-VP",
        ),
        traces=(
            Trace(OrganId="000.00.00.H56", Timestamp=datetime(2026, 11, 20, 2, 15, tzinfo=UTC)),
        ),
        attachments=(
            Attachment(
                ContentId="cid:1",
                AttachmentName="cong-van-125.pdf",
                ContentType="application/pdf",
                content=attachment,
            ),
        ),
    )


def _rate(step: Callable[[], object], count: int) -> Rate:
    step()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        step()
    return Rate(
        count=count,
        seconds=time.perf_counter() - wall,
        cpu_seconds=time.process_time() - cpu,
    )


def _memory(signer: Signer) -> list[dict[str, Any]]:
    large = document(os.urandom(LARGE_PACKAGE_BYTES * 3 // 4 - 4096))
    package = sign_package(write_package(large), key_pem=signer.key_pem, cert_pem=signer.cert_pem)
    del large
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-edxml-") as folder:
        path, cert = Path(folder) / "package.xml", Path(folder) / "signer.pem"
        path.write_bytes(package)
        cert.write_bytes(signer.cert_pem)
        del package
        return [_probe(path, cert, case) for case in ("read", "read_verify")]


def _probe(path: Path, cert: Path, case: str) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "bench.edxml", "probe", str(path), str(cert), case],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"the memory probe for {case} failed:\n{run.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(run.stdout)
    return figures


def _memory_kb(field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak resident) of this process, in kB.

    Read from ``/proc`` rather than ``getrusage``: on Linux a process's ``ru_maxrss`` starts from
    the peak of the process that forked it, which here is the bench holding a 50 MB package.
    Elsewhere the peak so far stands in for both.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def probe(path: Path, cert: Path, case: str) -> dict[str, Any]:
    """Read (and for ``read_verify`` verify) one package in this fresh process."""
    anchors = (cert.read_bytes(),)
    before = _memory_kb("VmRSS")
    data = path.read_bytes()
    if case == "read_verify":
        verify_package(data, trust_anchors=anchors, mode=SignatureMode.required)
    kept = read_package(data)
    peak = _memory_kb("VmHWM")
    del kept
    size_mb = len(data) / 2**20
    peak_mb = (peak - before) / 1024
    return {
        "case": case,
        "package_mb": round(size_mb, 2),
        "peak_mb": round(peak_mb, 1),
        "ratio": round(peak_mb / size_mb, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edxml", description=__doc__)
    parser.add_argument("--packages", type=int, default=200, help="packages per step (200)")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    commands = parser.add_subparsers(dest="command")
    probing = commands.add_parser("probe", help="(internal) one memory measurement")
    probing.add_argument("package", type=Path)
    probing.add_argument("cert", type=Path)
    probing.add_argument("case", choices=("read", "read_verify"))
    args = parser.parse_args(argv)
    if args.command == "probe":
        print(json.dumps(probe(args.package, args.cert, args.case)))
        return 0
    console = Console()
    figures = measure(console, packages=args.packages)
    if args.output:
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    show(console, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
