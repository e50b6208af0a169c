"""The lock file of an environment: what the last apply left on it, type by type.

Marketo keeps no memory of who changed a type or why. The lock file is that memory: apply
writes it once the live types are verified, drift compares the instance with it, and
integration code reads the type ids from it (they differ between sandbox and production).

model    Lock and LockedType, the file's shape (no secret in it, ever)
store    where each environment's lock lives, reading it (never an error) and atomic writing
record   the lock an apply leaves (framework.lock.record.record_apply, imported by apply only)
"""

from framework.lock.model import Lock, LockedType
from framework.lock.store import LockRead, load_lock, lock_name, lock_path, read_lock

__all__ = [
    "Lock",
    "LockRead",
    "LockedType",
    "load_lock",
    "lock_name",
    "lock_path",
    "read_lock",
]
