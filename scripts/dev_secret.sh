#!/usr/bin/env bash
# A per-checkout secret key for `make run`, kept out of git in .local/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .local
[ -s .local/secret_key ] || .venv/bin/python -c \
  "import secrets; print(secrets.token_urlsafe(50))" > .local/secret_key
cat .local/secret_key
