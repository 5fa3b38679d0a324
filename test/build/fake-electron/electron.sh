#!/bin/sh
# `electron <appRoot>` for scripts/start.mjs (CWB_ELECTRON_COMMAND): the built main process under plain
# Node with the stand-in electron module.
exec node --import "$(dirname "$0")/register.mjs" "$1/out/main/index.js"
