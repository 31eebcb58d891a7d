#!/usr/bin/env bash
# Installs what building and testing Sluice needs on Debian 12, skipping what is already there.
# Used by `make run` and `make test`; safe to run again.
set -euo pipefail

debs=(librocksdb-dev liblz4-dev libreadline-dev libpq-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
    # Tools the integration tests drive as real clients.
    # postgresql-15 (the server): `sluice shell` is also tested against PostgreSQL itself.
    debs+=(tmux postgresql-client postgresql-15 libpostgresql-jdbc-java kcat)
    command -v javac >/dev/null || debs+=(default-jdk-headless)
fi

missing=()
for pkg in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}"
    sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ "${1:-}" == "--test" ]]; then
    # The Python PostgreSQL drivers the end-to-end tests drive (Tests/SluiceCLITests/Clients/drivers.py), and
    # the Kafka clients for the Kafka-wire tests (kafka-python, confluent-kafka over librdkafka, aiokafka), and
    # DuckDB, the Nexmark oracle.
    if ! python3 -c "import psycopg2, psycopg, pg8000, asyncpg, kafka, confluent_kafka, aiokafka, duckdb" 2>/dev/null; then
        echo "install-deps: installing the Python clients psycopg2-binary, psycopg[binary], pg8000, asyncpg, kafka-python, confluent-kafka, aiokafka, duckdb"
        drivers=(psycopg2-binary "psycopg[binary]" pg8000 asyncpg kafka-python confluent-kafka aiokafka duckdb)
        pip=(python3 -m pip install --quiet --disable-pip-version-check)
        # Debian's own python3 refuses system-wide installs (PEP 668) unless told.
        "${pip[@]}" "${drivers[@]}" 2>/dev/null || "${pip[@]}" --break-system-packages "${drivers[@]}"
    fi
fi

command -v swift >/dev/null || {
    echo "install-deps: swift is not on PATH; install Swift 6.2 or newer (https://www.swift.org/install/linux/)" >&2
    exit 1
}
