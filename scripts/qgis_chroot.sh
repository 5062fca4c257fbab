#!/usr/bin/env bash
# Planaura for QGIS on a newer QGIS than Debian 12's 3.22: a Debian chroot with QGIS from another
# Debian suite, the project installed in it from a git checkout, and commands or the tests run there.
# Needs root, Debian's mirror and (for the Python packages) PyPI.
#
#   scripts/qgis_chroot.sh build          make the chroot (skips every step already done)
#   scripts/qgis_chroot.sh test [ARGS]    build, then pytest in it: tests/qgis, tests/services + the golden parity
#                                         tests of tests/core (ARGS replace that list)
#   scripts/qgis_chroot.sh smoke          build, then scripts/qgis_process_smoke.sh in it
#   scripts/qgis_chroot.sh check          build, then smoke and test (both run; exit 1 if either fails)
#   scripts/qgis_chroot.sh run CMD...     build, then CMD in the project's copy (/opt/planaura/main),
#                                         venv active, QT_QPA_PLATFORM=offscreen
#   scripts/qgis_chroot.sh shell          an interactive shell in the chroot
#   scripts/qgis_chroot.sh umount         take down mounts left by a killed call
#
# Settings (environment):
#   QGIS_SUITE=bookworm-backports  QGIS 3.40 LTR on Debian 12 (Python 3.11, numpy 1.24, GDAL 3.6:
#                                  the host's; torch from this machine's local CPU wheel);
#                                  trixie: QGIS 3.40 on Debian 13 (Python 3.13, numpy 2.2, GDAL 3.10);
#                                  trixie-backports: QGIS 3.44 on Debian 13. On Debian 13, torch
#                                  2.13.0 comes from PyPI, whose only Linux cp313 build is the CUDA
#                                  one (~5 GB installed; it runs on the CPU)
#   CHROOT=/var/tmp/planaura-chroots/<QGIS_SUITE>   the chroot; never inside a checkout
#   REPO=<the checkout holding this script>  the checkout copied in (its committed HEAD, by git
#                                  clone; uncommitted changes are not copied). Another REPO, or a
#                                  new HEAD, re-clones it; the venv is kept and only updated
#   SHARED=<REPO>/../shared        copied beside the project's copy (PLANAURA_SHARED of the tests)
#   TIME_LIMIT=50m                 time guard of the whole call (timeout; 0: none)
#   RETRIES=3                      tries of each download step (debootstrap, apt, pip)
#   NICE=10, MIRROR=http://deb.debian.org/debian, WHEELS=<pip's find-links of this machine>
#
# Exit status: 0 done/passed; 1 the tests (or CMD) failed; 2 usage; 3 the chroot could not be
# built or updated (mirror or PyPI unreachable, a package missing): not a test failure;
# 124 the time guard stopped the call; 143 a signal (TERM) stopped it. Each step prints "step NAME: N s, chroot SIZE".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
QGIS_SUITE=${QGIS_SUITE:-bookworm-backports}
case "$QGIS_SUITE" in
  bookworm-backports) SUITE=bookworm ;;
  trixie|trixie-backports) SUITE=trixie ;;
  *) echo "qgis_chroot: QGIS_SUITE must be bookworm-backports, trixie or trixie-backports" >&2; exit 2 ;;
esac
CHROOT=${CHROOT:-/var/tmp/planaura-chroots/$QGIS_SUITE}
REPO=$(cd "${REPO:-$HERE}" && pwd -P)
SHARED=${SHARED:-$REPO/../shared}
TIME_LIMIT=${TIME_LIMIT:-50m}
RETRIES=${RETRIES:-3}
NICE=${NICE:-10}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
GOLDEN_TESTS="tests/core/test_change_map_golden.py tests/core/test_model_golden.py
tests/core/test_golden_raster_runs.py tests/core/test_persistence_mosaic_golden.py"
SRC=/opt/planaura/main          # paths inside the chroot
VENV=/opt/planaura/venv
STAMPS=/var/lib/planaura-stamps
export LC_ALL=C.UTF-8 LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive

say() { echo "qgis_chroot: $*"; }
build_failed() {
  say "$QGIS_SUITE: $1"
  say "MIRROR OR PYPI UNREACHABLE / BUILD FAILED, NOT A TEST FAILURE (exit 3)"
  exit 3
}
[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot, mount)" >&2; exit 2; }
CHROOT=$(realpath -m "$CHROOT")
inside_checkout() {   # CHROOT or a folder above it is a git work tree (ruff, git, the package would see it)
  local d=$CHROOT
  while [ "$d" != / ]; do [ -e "$d/.git" ] && return 0; d=$(dirname "$d"); done
  case "$CHROOT/" in "$REPO"/*) return 0 ;; esac
  return 1
}
inside_checkout && { say "CHROOT=$CHROOT must lie outside any checkout" >&2; exit 2; }
case "$CHROOT" in /var/*|/tmp/*|/srv/*|/opt/*|/mnt/*|/home/*|/root/*) ;;
  *) say "CHROOT=$CHROOT: choose a folder under /var, /tmp, /srv, /opt, /mnt or /home" >&2; exit 2 ;;
esac

WHEELS=${WHEELS-$([ "$SUITE" = bookworm ] && pip config get global.find-links 2>/dev/null || true)}
export WHEELS

# --- time guard: the call re-runs itself under timeout; the trap below takes the mounts down ------
if [ -z "${PLANAURA_CHROOT_GUARDED:-}" ] && [ "$TIME_LIMIT" != 0 ] && [ "${1:-}" != shell ]; then
  export PLANAURA_CHROOT_GUARDED=1
  rc=0
  timeout --kill-after=60 "$TIME_LIMIT" bash "${BASH_SOURCE[0]}" "$@" || rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    say "TIME GUARD: stopped after $TIME_LIMIT ($QGIS_SUITE, ${1:-build}); not a test result (exit 124)"
    [ "$rc" -eq 124 ] || PLANAURA_CHROOT_GUARDED=1 bash "${BASH_SOURCE[0]}" umount || true
    exit 124
  fi
  [ "$rc" -ne 143 ] || say "stopped by a signal ($QGIS_SUITE, ${1:-build}); not a test result"
  exit "$rc"
fi

# --- mounts: one call at a time per chroot (a lock); every mount under CHROOT is taken down at exit -
mounts_below() { findmnt -rn -o TARGET | awk -v r="$CHROOT/" 'index($0, r) == 1' | sort -r; }
take_down() {
  local m
  for m in $(mounts_below); do umount -R "$m" 2>/dev/null || umount -lR "$m" 2>/dev/null || true; done
  if [ -n "$(mounts_below)" ]; then say "still mounted under $CHROOT: $(mounts_below | tr '\n' ' ')" >&2; fi
}
mount_all() {
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  mountpoint -q "$CHROOT/sys" || { mount --rbind /sys "$CHROOT/sys"; mount --make-rslave "$CHROOT/sys"; }
  mountpoint -q "$CHROOT/dev" || { mount --rbind /dev "$CHROOT/dev"; mount --make-rslave "$CHROOT/dev"; }
  if [ "$SUITE" = bookworm ] && [ -d "$WHEELS" ]; then   # the local torch CPU wheel, read-only
    mkdir -p "$CHROOT/opt/wheels"
    mountpoint -q "$CHROOT/opt/wheels" || mount -o bind,ro "$WHEELS" "$CHROOT/opt/wheels"
  fi
  cp -L /etc/resolv.conf "$CHROOT/etc/resolv.conf"
}
hold_chroot() {
  mkdir -p "$(dirname "$CHROOT")"
  exec 9>"$CHROOT.lock"
  flock -w 600 9 || { say "another call has held $CHROOT for 10 min" >&2; exit 2; }
  trap take_down EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
}
wipe_chroot() {   # only a chroot with nothing mounted in it, and never across file systems
  [ -z "$(mounts_below)" ] || build_failed "cannot remove $CHROOT: mounts left under it"
  rm -rf --one-file-system "$CHROOT"
}

in_chroot() {
  chroot "$CHROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive TERM="${TERM:-dumb}" XDG_RUNTIME_DIR=/tmp \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt PIP_CERT=/etc/ssl/certs/ca-certificates.crt \
    PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=180 PIP_ROOT_USER_ACTION=ignore "${LOCAL_WHEELS[@]}" "$@"
}
LOCAL_WHEELS=()
if [ "$SUITE" = bookworm ] && [ -d "$WHEELS" ]; then LOCAL_WHEELS=(PIP_FIND_LINKS=/opt/wheels); fi
with_retries() {   # with_retries WHAT CMD...: RETRIES tries, a growing pause between them
  local what=$1 i; shift
  for i in $(seq 1 "$RETRIES"); do
    "$@" && return 0
    say "$what failed (try $i of $RETRIES)"
    [ "$i" -eq "$RETRIES" ] || sleep $((30 * i))
  done
  return 1
}
step_t0=0
step_start() { step_t0=$(date +%s); say "step $1: start"; }
step_end() { say "step $1: $(( $(date +%s) - step_t0 )) s, chroot $(du -shx "$CHROOT" 2>/dev/null | cut -f1)"; }
stamped() { [ "$(cat "$CHROOT$STAMPS/$1" 2>/dev/null)" = "$2" ]; }
stamp() { mkdir -p "$CHROOT$STAMPS"; echo "$2" > "$CHROOT$STAMPS/$1"; }

# --- build steps -----------------------------------------------------------------------------------
debootstrap_step() {
  stamped debootstrap "$SUITE" && return 0
  if ! command -v debootstrap >/dev/null; then
    with_retries "apt-get install debootstrap (host)" \
      bash -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends debootstrap >/dev/null' \
      || build_failed "could not install debootstrap on this machine"
  fi
  step_start debootstrap
  try_debootstrap() { wipe_chroot; mkdir -p "$CHROOT"; nice -n "$NICE" debootstrap --variant=minbase "$SUITE" "$CHROOT" "$MIRROR" >/dev/null; }
  if ! with_retries "debootstrap $SUITE from $MIRROR" try_debootstrap; then
    wipe_chroot   # nothing half-made is left
    build_failed "debootstrap $SUITE from $MIRROR failed"
  fi
  stamp debootstrap "$SUITE"
  step_end debootstrap
}

apt_packages() {   # the system packages of scripts/setup.sh (one list), plus what the build uses here
  local listed
  listed=$(sed -n 's/^APT_PACKAGES="\(.*\)"$/\1/p' "$REPO/scripts/setup.sh")
  [ -n "$listed" ] || build_failed "no APT_PACKAGES line found in $REPO/scripts/setup.sh"
  echo "$listed git ca-certificates"
}

apt_step() {
  local packages target=()
  packages=$(apt_packages)
  cat > "$CHROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $MIRROR $SUITE-backports main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  echo 'Acquire::Retries "5";' > "$CHROOT/etc/apt/apt.conf.d/80planaura-retries"
  printf 'path-exclude=/usr/share/doc/*\npath-include=/usr/share/doc/*/copyright\npath-exclude=/usr/share/man/*\n' \
    > "$CHROOT/etc/dpkg/dpkg.cfg.d/01planaura-nodoc"
  stamped apt "$QGIS_SUITE $packages" && return 0
  step_start apt
  [ "$QGIS_SUITE" = "$SUITE" ] || target=(-t "$QGIS_SUITE")
  # shellcheck disable=SC2086  # the package list is words
  with_retries "apt-get install ($QGIS_SUITE)" in_chroot bash -c "apt-get update -qq && nice -n $NICE \
    apt-get install -y -qq --no-install-recommends ${target[*]} $packages >/dev/null" \
    || build_failed "apt-get could not install QGIS and its tools from $QGIS_SUITE"
  in_chroot apt-get clean
  stamp apt "$QGIS_SUITE $packages"
  step_end apt
}

certificates_step() {   # this machine's own CAs (a TLS-inspecting proxy to PyPI): pip needs them too
  ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1 || return 0
  mkdir -p "$CHROOT/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
  in_chroot update-ca-certificates >/dev/null 2>&1
}

project_step() {   # the committed HEAD of REPO at SRC (a new HEAD or REPO: cloned again), shared beside
  local head want
  head=$(git -C "$REPO" rev-parse HEAD)
  want="$REPO $head"
  if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
    say "note: $REPO has uncommitted changes; the chroot gets its committed HEAD ${head:0:10}"
  fi
  if ! stamped project "$want" || [ ! -d "$CHROOT$SRC/.git" ]; then
    step_start project
    rm -rf --one-file-system "$CHROOT$SRC"
    mkdir -p "$(dirname "$CHROOT$SRC")"
    git clone -q --no-checkout "$REPO" "$CHROOT$SRC"
    git -C "$CHROOT$SRC" -c advice.detachedHead=false checkout -q --detach "$head"
    ln -sfn "$VENV" "$CHROOT$SRC/.venv"
    rm -rf --one-file-system "$CHROOT/opt/planaura/shared"
    if [ -d "$SHARED" ]; then cp -a "$SHARED/." "$CHROOT/opt/planaura/shared"; else say "note: no $SHARED"; fi
    stamp project "$want"
    step_end project
  fi
  say "project: $(git -C "$CHROOT$SRC" log -1 --format='%h %s' | cut -c1-100)"
}

requirements_file() {   # what pip installs: requirements-dev.txt of the copy, or, on a Python without
  # wheels for some pins and a requirements.txt without python_version markers for them, a copy with
  # the oldest releases that have wheels for it (pyarrow 18.0.0, scikit-learn 1.5.2 for Python 3.13)
  local minor
  minor=$(in_chroot /usr/bin/python3 -c 'import sys; print(sys.version_info[1])')
  if [ "$minor" -lt 13 ] || grep -q 'pyarrow.*python_version' "$CHROOT$SRC/requirements.txt"; then
    echo "$SRC/requirements-dev.txt"; return 0
  fi
  mkdir -p "$CHROOT/tmp/planaura-requirements"
  cp "$CHROOT$SRC/requirements-dev.txt" "$CHROOT/tmp/planaura-requirements/"
  sed -e 's/^pyarrow==.*/pyarrow==18.0.0/' -e 's/^scikit-learn==.*/scikit-learn==1.5.2/' \
    "$CHROOT$SRC/requirements.txt" > "$CHROOT/tmp/planaura-requirements/requirements.txt"
  say "note: Python 3.$minor and no python_version markers in requirements.txt: pyarrow 18.0.0 and scikit-learn 1.5.2 instead of its pins" >&2
  echo /tmp/planaura-requirements/requirements-dev.txt
}

venv_step() {   # VENV (--system-site-packages, the distribution's numpy kept) with the pins
  local req want
  in_chroot bash -c "[ -x $VENV/bin/python ] || /usr/bin/python3 -m venv --system-site-packages $VENV"
  in_chroot "$VENV/bin/python" -c "import numpy; print('numpy==' + numpy.__version__)" > "$CHROOT$VENV/constraints.txt"
  req=$(requirements_file)
  want=$(cat "$CHROOT$req" "$CHROOT$(dirname "$req")/requirements.txt" "$CHROOT$VENV/constraints.txt" | sha256sum | cut -c1-16)
  stamped venv "$want" && return 0
  step_start venv
  with_retries "pip install -r requirements-dev.txt" in_chroot bash -c "cd $SRC && nice -n $NICE \
    $VENV/bin/python -m pip install -q -c $VENV/constraints.txt -r $req" \
    || build_failed "pip could not install the project's Python packages (PyPI unreachable or a pin without a wheel)"
  in_chroot rm -rf /root/.cache/pip
  stamp venv "$want"
  step_end venv
}

profile_deps() {   # 1 when the plugin's dependencies go into QGIS's profile (PROFILE_DEPS, else bookworm only)
  echo "${PROFILE_DEPS:-$([ "$SUITE" = bookworm ] && echo 1 || echo 0)}"
}

plugin_step() {   # translations; the plugin linked into QGIS's default profile and enabled there;
  # on Python 3.11 also its dependencies for QGIS's own Python, as scripts/setup.sh does (on Debian 13
  # that would download the 5 GB CUDA torch a second time: PROFILE_DEPS=1 to do it anyway)
  local deps; deps=$(profile_deps)
  in_chroot bash -c "cd $SRC && bash scripts/translations.sh >/dev/null" || build_failed "scripts/translations.sh failed"
  in_chroot bash -s <<EOF || build_failed "could not link and enable the plugin in QGIS's default profile"
set -e
cd $SRC
profile=\$(/usr/bin/python3 plugin_services/dependencies.py profile)
mkdir -p "\$profile/python/plugins" "\$profile/QGIS"
ln -sfn $SRC "\$profile/python/plugins/planaura_qgis"
/usr/bin/python3 - "\$profile/QGIS/QGIS3.ini" <<'PY'
import sys
from qgis.PyQt.QtCore import QSettings
settings = QSettings(sys.argv[1], QSettings.Format.IniFormat)
settings.setValue("PythonPlugins/planaura_qgis", True)
settings.sync()
PY
EOF
  [ "$deps" = 1 ] || return 0
  with_retries "plugin_services/dependencies.py install" in_chroot bash -c "cd $SRC && nice -n $NICE /usr/bin/python3 plugin_services/dependencies.py install --quiet" \
    || build_failed "the plugin's dependencies for QGIS's Python could not be installed"
}

build() {
  debootstrap_step
  mount_all
  apt_step
  certificates_step
  project_step
  venv_step
  plugin_step
  say "$QGIS_SUITE: $(in_chroot dpkg-query -W -f='${Package} ${Version}  ' qgis python3 python3-numpy python3-gdal)"
}

in_project() {   # CMD in SRC with the venv active; its exit status is returned
  local q="" a
  for a in "$@"; do q="$q $(printf '%q' "$a")"; done
  in_chroot bash -c "cd $SRC && . $VENV/bin/activate && export QT_QPA_PLATFORM=offscreen \
    PLANAURA_SHARED=/opt/planaura/shared PLANAURA_PROFILE_DEPS=$(profile_deps) && nice -n $NICE $q"
}
timed_in_project() {   # timed_in_project NAME CMD...: in_project, with its wall time and verdict
  local what=$1 rc=0 t0; shift
  t0=$(date +%s)
  in_project "$@" || rc=$?
  say "$QGIS_SUITE: $what: $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)"), $(( $(date +%s) - t0 )) s"
  return "$rc"
}
smoke() { timed_in_project "qgis_process smoke run" bash scripts/qgis_process_smoke.sh /tmp/planaura-smoke; }
tests() {   # the arguments given, or tests/qgis, tests/services and the golden parity tests
  # shellcheck disable=SC2086  # the default list is words
  if [ $# -gt 0 ]; then set -- "$@"; else set -- -v tests/qgis tests/services $GOLDEN_TESTS; fi
  timed_in_project "pytest $*" python -m pytest "$@"
}

cmd=${1:-build}; shift || true
case "$cmd" in
  build) hold_chroot; build ;;
  run) [ $# -gt 0 ] || { say "run needs a command" >&2; exit 2; }; hold_chroot; build; in_project "$@" || exit 1 ;;
  test) hold_chroot; build; tests "$@" || exit 1 ;;
  smoke) hold_chroot; build; smoke || exit 1 ;;
  check)   # both, each reported; exit 1 if either failed
    hold_chroot; build; failed=0
    smoke || failed=1
    tests || failed=1
    exit "$failed" ;;
  shell) hold_chroot; mount_all; chroot "$CHROOT" /bin/bash -l ;;
  umount) hold_chroot ;;
  *) echo "usage: $0 build | check | test [PYTEST ARGS] | smoke | run CMD... | shell | umount" >&2; exit 2 ;;
esac
