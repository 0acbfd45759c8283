# Set-up steps shared by scripts/demo and scripts/test.

python_312() {
    # .python-version makes pyenv's python3 resolve to 3.12 in this folder.
    for candidate in python3 python3.12 "$(command -v pyenv >/dev/null && pyenv root)/versions/3.12.1/bin/python3"; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return
        fi
    done
    echo "Python 3.12 or newer is needed" >&2
    return 1
}

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        "$(python_312)" -m venv .venv
    fi
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$1"
}

ensure_postgres() {
    if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
        for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
    fi
}

# pango is WeasyPrint's text layout (the AK/1 card and the reports as PDF).
has_pango() {
    compgen -G '/usr/lib/*/libpangoft2-1.0.so.0' >/dev/null
}

ensure_pango() {
    if ! has_pango; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
    fi
}

ensure_chromium() {
    if [ ! -x /usr/bin/chromium ] || ! has_pango; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0 >/dev/null
    fi
}
