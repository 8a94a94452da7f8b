#!/bin/sh
# Installs, with apt-get, every Debian package shears' build and tests need.
# Idempotent: when all are present it prints nothing and does nothing.
set -eu

PACKAGES="gcc make pkg-config clang libclang-rt-14-dev
libncurses-dev libcurl4-openssl-dev libcjson-dev libsqlite3-dev libedit-dev
libexpat1-dev libzip-dev libssl-dev libpcre2-dev
libcmocka-dev tmux python3 python3-botocore awscli openssl ca-certificates
sqlite3 procps python3-jsonschema"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "shears: installing missing packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "shears: run as root, or install them:  apt-get install$missing" >&2
		exit 1
	fi
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh image has empty package lists; refresh them once, only when needed.
if ! $SUDO apt-get install -y --no-install-recommends $missing; then
	$SUDO apt-get update
	$SUDO apt-get install -y --no-install-recommends $missing
fi
