#!/usr/bin/env bash
# A per-checkout secret key for `make run`, kept out of git in .local/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .local
# Readable by its owner only, also when it was made by an older set-up.
[ -s .local/secret_key ] || (umask 077 && .venv/bin/python -c \
  "import secrets; print(secrets.token_urlsafe(50))" > .local/secret_key)
chmod 600 .local/secret_key
cat .local/secret_key
