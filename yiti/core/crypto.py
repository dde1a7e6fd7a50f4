"""Encryption of personal data at rest (ID numbers, phone numbers) and keyed hashes to find it again.

The one place that knows the cipher (see docs/personal-data.md for the choice and how to switch):

- `encrypt(text)` -> "v1:" + base64(nonce | ciphertext | tag), SM4-GCM (GB/T 32907, GB/T 17964 GCM,
  the suite of RFC 8998); a fresh random 96-bit nonce per value, so equal values never look equal.
- `decrypt(token)` reads any version listed in `_SUITES`; a changed byte fails the GCM tag and raises
  `DecryptionError` instead of returning wrong data.
- `blind_index(text)` -> HMAC-SM3 hex (64 characters) of the normalised value, so that equal ID numbers
  find each other (unique constraint, exact-match lookup) without the number being stored.

Key: `YITI_DATA_KEY` (base64 of 32 random bytes). Two independent subkeys are derived from it with
HKDF-SM3, one for encryption and one for the blind index. Without the variable the key is generated
once into `$YITI_VAR_DIR/data_key` (development, demo) and a warning is logged; with
`YITI_REQUIRE_DATA_KEY=1` (production) a missing variable is an error instead. `yiti rotate-data-key`
re-encrypts everything under a new key.
"""

import base64
import binascii
import logging
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

KEY_ENV = "YITI_DATA_KEY"
REQUIRE_ENV = "YITI_REQUIRE_DATA_KEY"
KEY_FILE = "data_key"
KEY_BYTES = 32
VERSION = "v1"  # what encrypt() writes
_NONCE = 12
_TAG = 16


class DecryptionError(ValueError):
    """A stored value is not a ciphertext this key can open (tampered, truncated or another key)."""


@dataclass(frozen=True)
class Keys:
    encryption: bytes  # SM4 key, 128 bits
    index: bytes  # HMAC-SM3 key, 256 bits


def _derive(master: bytes, purpose: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=b"yiti " + purpose).derive(master)


def _decode_key(text: str, origin: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{origin} is not base64; create one with: "
                                   "python -c 'import os,base64;print(base64.b64encode(os.urandom(32)).decode())'"
                                   ) from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{origin} must be base64 of {KEY_BYTES} bytes, not {len(key)}.")
    return key


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def key_file() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / KEY_FILE


def write_key_file(path: Path, key: str, replace: bool) -> None:
    """Write `key` to `path` (mode 0600) in one step: readers see the old file or the new one, never half.

    Without `replace`, an existing file wins (two processes starting together keep one key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    try:
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def key_from_environment() -> bool:
    """Whether the key comes from YITI_DATA_KEY (rather than the development key file)."""
    return bool(os.environ.get(KEY_ENV, "").strip())


def new_master_key() -> str:
    """A fresh key in the form YITI_DATA_KEY takes."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _master_key() -> bytes:
    if key_from_environment():
        return _decode_key(os.environ[KEY_ENV], KEY_ENV)
    if _env_flag(REQUIRE_ENV):
        raise ImproperlyConfigured(
            f"{KEY_ENV} is not set, and {REQUIRE_ENV}=1 forbids the generated development key. Set {KEY_ENV} "
            "to the installation's data key (base64 of 32 bytes; see docs/personal-data.md)."
        )
    path = key_file()
    if not path.exists():
        write_key_file(path, new_master_key(), replace=False)
    from django.conf import settings

    if not settings.DEBUG:
        logger.warning("Personal data is encrypted with the key in %s; set %s in production "
                       "(docs/personal-data.md).", path, KEY_ENV)
    return _decode_key(path.read_text(), str(path))


@cache
def keys() -> Keys:
    """The installation's subkeys (loaded once per process)."""
    return keys_from(_master_key())


def keys_from(master: bytes | str) -> Keys:
    if isinstance(master, str):
        master = _decode_key(master, "the key")
    try:
        derived = Keys(encryption=_derive(master, b"data encryption v1", 16),
                       index=_derive(master, b"blind index v1", 32))
        _sm4_gcm_encrypt(derived.encryption, b"", b"")  # fail here, clearly, if SM4-GCM is missing
        return derived
    except UnsupportedAlgorithm as exc:  # an OpenSSL built without the SM algorithms (e.g. FIPS mode)
        raise ImproperlyConfigured(f"This OpenSSL lacks SM3/SM4 ({exc}); see docs/personal-data.md.") from exc


def reset() -> None:
    """Forget the loaded key (tests, after changing the environment)."""
    keys.cache_clear()


# --- the cipher suites: version prefix -> (encrypt, decrypt) ------------------------------------------

def _sm4_gcm_encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(aad)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def _sm4_gcm_decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < _NONCE + _TAG:
        raise DecryptionError("ciphertext too short")
    nonce, body, tag = blob[:_NONCE], blob[_NONCE:-_TAG], blob[-_TAG:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise DecryptionError("authentication tag does not match: the value was altered or the key differs") from None


_SUITES = {"v1": (_sm4_gcm_encrypt, _sm4_gcm_decrypt)}


def is_ciphertext(value: str) -> bool:
    version, sep, _rest = (value or "").partition(":")
    return bool(sep) and version in _SUITES


def encrypt(text: str, key: Keys | None = None) -> str:
    seal, _open = _SUITES[VERSION]
    blob = seal((key or keys()).encryption, text.encode("utf-8"), VERSION.encode())
    return f"{VERSION}:{base64.b64encode(blob).decode('ascii')}"


def decrypt(token: str, key: Keys | None = None) -> str:
    version, sep, payload = (token or "").partition(":")
    if not sep or version not in _SUITES:
        raise DecryptionError("not an encrypted value (no known version prefix)")
    try:
        blob = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError("ciphertext is not valid base64") from None
    _seal, open_ = _SUITES[version]
    try:
        return open_((key or keys()).encryption, blob, version.encode()).decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError("decrypted value is not UTF-8") from None


_SEPARATORS = re.compile(r"[\s\-]+")


def normalise(text: str) -> str:
    """What counts as the same value: full-width to half-width, no spaces or hyphens, upper case."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).upper()


def blind_index(text: str, key: Keys | None = None) -> str:
    """HMAC-SM3 (hex) of the normalised value: equal values give equal hashes, the key hides the value."""
    mac = hmac.HMAC((key or keys()).index, hashes.SM3())
    mac.update(normalise(text).encode("utf-8"))
    return mac.finalize().hex()
