"""scripts/install-system-packages waits for another package manager's lock instead of
failing. Run against a fake apt-get (apt is never run) and a lock file of the test's own,
held as dpkg and apt hold theirs (an fcntl lock) or with flock(1)."""

import fcntl
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install-system-packages"
# What the script needs from the system; chromium, pdftotext and msgfmt are left out so
# that it has packages to install.
TOOLS = ["bash", "env", "id", "stat", "cat", "sleep"]

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks")


@pytest.fixture
def sandbox(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    log = tmp_path / "apt.log"
    for fake in ["apt-get", "sudo", "useradd"]:
        script = bin_dir / fake
        if fake == "sudo":
            script.write_text('#!/usr/bin/env bash\nexec "$@"\n')
        else:
            script.write_text(f'#!/usr/bin/env bash\necho "{fake} $*" >> {log}\n')
        script.chmod(0o755)
    lock = tmp_path / "lock-frontend"
    lock.touch()
    env = {
        "PATH": str(bin_dir),
        "SHAHRAK_APT_LOCKS": f"{tmp_path / 'absent-lock'} {lock}",
        "SHAHRAK_APT_LOCK_TIMEOUT": "30",
    }
    return env, lock, log


def _start(env):
    return subprocess.Popen(
        [str(SCRIPT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _apt_calls(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if line.startswith("apt-get")]


def test_without_a_lock_apt_runs_at_once_with_a_lock_timeout(sandbox):
    env, _lock, log = sandbox
    _out, err = _start(env).communicate(timeout=20)
    calls = _apt_calls(log)
    assert len(calls) == 2 and "update" in calls[0].split()
    assert "install" in calls[1].split() and "chromium" in calls[1].split()
    assert all("DPkg::Lock::Timeout=30" in call for call in calls)
    assert "Waiting" not in err


@pytest.mark.parametrize("kind", ["fcntl", "flock"])
def test_waits_while_another_process_holds_the_lock(sandbox, kind):
    env, lock, log = sandbox
    if kind == "fcntl":  # as dpkg and apt take theirs
        handle = open(lock, "w")  # noqa: SIM115 (released below)
        fcntl.lockf(handle, fcntl.LOCK_EX)
        release = handle.close
    else:
        # -o: flock itself holds the lock (not the sleep it starts), so killing it releases it.
        holder = subprocess.Popen(["flock", "-o", str(lock), "sleep", "60"])
        deadline = time.monotonic() + 5
        while str(holder.pid) not in Path("/proc/locks").read_text():
            assert time.monotonic() < deadline, "flock did not take the lock"
            time.sleep(0.05)

        def release():
            holder.kill()
            holder.wait()

    process = _start(env)
    try:
        time.sleep(2.5)
        assert process.poll() is None, process.communicate()
        assert not log.exists(), "apt-get ran while the lock was held"
    finally:
        release()
    _out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Waiting for another package manager to finish" in err and str(lock) in err
    assert len(_apt_calls(log)) == 2


def test_gives_up_after_the_timeout_without_running_apt(sandbox):
    env, lock, log = sandbox
    env["SHAHRAK_APT_LOCK_TIMEOUT"] = "2"
    with open(lock, "w") as handle:
        fcntl.lockf(handle, fcntl.LOCK_EX)
        started = time.monotonic()
        _out, err = _start(env).communicate(timeout=20)
        took = time.monotonic() - started
    assert "Gave up after 2 s" in err and f"process {os.getpid()}" in err
    assert 2 <= took < 10
    assert not log.exists()
