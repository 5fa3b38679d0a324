# shellcheck shell=bash
# The bookworm-backports APT source, derived from the Debian mirror this machine is already
# configured with (so no package host is named here). Sourced by .ci/run; tested by
# test/main/ci/apt-backports.test.ts with a temp root.
#
# debian_mirror [ROOT]: print the URI of the first source serving suite "bookworm" (not -security,
# not -updates) from ROOT/etc/apt/sources.list, sources.list.d/*.list (one-line form) or
# sources.list.d/*.sources (deb822: URIs: / Suites:); nothing and status 1 when there is none.
debian_mirror() {
  local root=${1:-} f line uri suites
  for f in "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%%#*}
      # deb [options] URI suite component…
      line=$(printf '%s\n' "$line" | sed -E 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?//;t;d')
      [ -n "$line" ] || continue
      read -r uri suites _ <<<"$line"
      if [ "$suites" = bookworm ] && [ -n "$uri" ]; then printf '%s\n' "$uri"; return 0; fi
    done <"$f"
  done
  for f in "$root"/etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    # one deb822 stanza at a time: blank lines separate them
    if uri=$(awk '
      function flush() { if (types ~ /(^|[[:space:]])deb([[:space:]]|$)/ && (" " suites " ") ~ / bookworm / && uris != "") { split(uris, u, /[[:space:]]+/); print u[1]; found = 1; exit } types = "deb"; uris = ""; suites = "" }
      BEGIN { types = "deb" }
      /^[[:space:]]*#/ { next }
      /^[[:space:]]*$/ { flush(); next }
      tolower($1) == "types:" { $1 = ""; types = $0 }
      tolower($1) == "uris:" { $1 = ""; sub(/^[[:space:]]+/, ""); uris = $0 }
      tolower($1) == "suites:" { $1 = ""; suites = $0 }
      END { if (!found) flush(); if (!found) exit 1 }
    ' "$f") && [ -n "$uri" ]; then
      printf '%s\n' "$uri"
      return 0
    fi
  done
  return 1
}

# backports_line [ROOT]: the one-line APT source for bookworm-backports on the configured mirror.
backports_line() {
  local uri
  uri=$(debian_mirror "${1:-}") || return 1
  printf 'deb %s bookworm-backports main\n' "${uri%/}"
}
