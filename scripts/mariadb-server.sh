# Throwaway MariaDB servers for scripts/test and bench/run; sourced, not run. The caller sets maria_root (a
# temporary folder that stop_mariadb removes) and maria_password (root's password over TCP on 127.0.0.1).

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# MariaDB's server and client tools from Debian's packages, when missing.
install_mariadb() {
  if [ ! -x /usr/sbin/mariadbd ] || ! command -v mariadb-binlog >/dev/null; then
    echo "Installing MariaDB from Debian's packages..."
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq mariadb-server mariadb-client >/dev/null
  fi
}

# start_mariadb NAME PORT [mariadbd options...]: a server with its own data folder, socket and log under
# $maria_root/NAME, listening on 127.0.0.1:PORT. A root caller runs it as root, which mariadbd allows with --user.
start_mariadb() {
  local name="$1" at="$2"; shift 2
  local dir="$maria_root/$name"
  mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" --skip-test-db \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
  /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" --port="$at" \
    --bind-address=127.0.0.1 --socket="$dir/sock" --pid-file="$dir/pid" --skip-name-resolve \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 "$@" \
    >"$dir/log" 2>&1 &
  for _ in $(seq 1 150); do
    mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! mariadb-admin --no-defaults --socket="$dir/sock" -uroot ping >/dev/null 2>&1; then
    echo "MariaDB '$name' did not start on 127.0.0.1:$at:" >&2
    tail -n 5 "$dir/log" >&2
    return 1
  fi
  mariadb --no-defaults --socket="$dir/sock" -uroot -e "
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
    ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$maria_password';
    GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;"
}

stop_mariadb() {
  local pid
  for pid in "$maria_root"/*/pid; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true
  done
  for pid in "$maria_root"/*/pid; do
    for _ in $(seq 1 100); do [ -f "$pid" ] || break; sleep 0.2; done
  done
  rm -rf "$maria_root"
}
