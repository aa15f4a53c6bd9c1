# shellcheck shell=sh
# Shared by kiln-install and kiln-commission: OAuth 1.0 PLAINTEXT headers, HTTP with curl or
# wget, JSON string escaping and multipart bodies. POSIX sh only (dash, busybox ash, bash): no
# arrays, no pipefail, no process substitution. Sourced, never executed.

KILN_CK=${KILN_CK:-}
KILN_TK=${KILN_TK:-}
KILN_TS=${KILN_TS:-}

kiln_warn() {
  printf '%s: %s\n' "${KILN_PROG:-kiln}" "$*" >&2
}

# KILN_OAUTH=consumer_key:token_key:token_secret, the MAAS API key form.
kiln_set_oauth() {
  KILN_CK=$(printf '%s' "$1" | cut -d: -f1)
  KILN_TK=$(printf '%s' "$1" | cut -d: -f2)
  KILN_TS=$(printf '%s' "$1" | cut -d: -f3)
}

# Percent-encodes everything outside RFC 3986's unreserved set.
kiln_pct() {
  printf '%s' "$1" | od -An -v -tx1 | tr ' ' '\n' | while read -r h; do
    [ -n "$h" ] || continue
    case $h in
      3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a] | 2d | 2e | 5f | 7e)
        # shellcheck disable=SC2059 # the format is an octal escape built on purpose
        printf "\\$(printf '%03o' "0x$h")" ;;
      *) printf '%%%s' "$(printf '%s' "$h" | tr 'a-f' 'A-F')" ;;
    esac
  done
}

# Seconds to add to the local clock: set from the server's Date header when it refuses our
# timestamp (machines often boot with an unset clock), as cloud-init and curtin do (spec 2.2).
KILN_SKEW=${KILN_SKEW:-0}

# The Authorization header value; a fresh nonce and timestamp per request.
kiln_oauth_header() {
  _nonce=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf 'OAuth realm="", oauth_version="1.0", oauth_signature_method="PLAINTEXT", oauth_consumer_key="%s", oauth_token="%s", oauth_signature="%%26%s", oauth_nonce="%s", oauth_timestamp="%s"' \
    "$(kiln_pct "$KILN_CK")" "$(kiln_pct "$KILN_TK")" "$(kiln_pct "$KILN_TS")" "$_nonce" "$(($(date +%s) + KILN_SKEW))"
}

kiln_auth_line() {
  if [ -n "$KILN_TK" ]; then
    printf 'Authorization: %s' "$(kiln_oauth_header)"
  else
    printf 'X-Kiln-Anonymous: 1'
  fi
}

kiln_have_curl() {
  [ "${KILN_HTTP:-}" != wget ] && command -v curl >/dev/null 2>&1
}

# An HTTP Date (RFC 1123, GMT) as epoch seconds, with GNU date or busybox date.
kiln_parse_date() {
  TZ=UTC date -d "$1" +%s 2>/dev/null ||
    TZ=UTC date -D '%a, %d %b %Y %H:%M:%S' -d "$(printf '%s' "$1" | sed 's/ GMT$//')" +%s 2>/dev/null
}

# _kiln_curl OUTFILE URL [CONTENT_TYPE BODYFILE]: one request, prints the HTTP status.
_kiln_curl() {
  if [ $# -gt 2 ]; then
    curl -sS --retry 3 --retry-delay 2 --connect-timeout 20 -D "$KILN_HDRS" -H "$(kiln_auth_line)" \
      -H "Content-Type: $3" --data-binary "@$4" -o "$1" -w '%{http_code}' "$2"
  else
    curl -sSL --retry 3 --retry-delay 2 --connect-timeout 20 -D "$KILN_HDRS" -H "$(kiln_auth_line)" \
      -o "$1" -w '%{http_code}' "$2"
  fi
}

# kiln_curl: _kiln_curl, once more with the server's clock after a 401/403; non-zero unless 2xx.
kiln_curl() {
  KILN_HDRS=${TMPDIR:-/tmp}/kiln-headers.$$
  _code=$(_kiln_curl "$@") || { rm -f "$KILN_HDRS"; return 1; }
  case $_code in
    401 | 403)
      _server=$(kiln_parse_date "$(sed -n 's/^[Dd]ate: *//p' "$KILN_HDRS" | tr -d '\r' | tail -n 1)")
      if [ -n "$_server" ]; then
        KILN_SKEW=$((_server - $(date +%s)))
        _code=$(_kiln_curl "$@") || { rm -f "$KILN_HDRS"; return 1; }
      fi
      ;;
  esac
  rm -f "$KILN_HDRS"
  case $_code in
    2??) return 0 ;;
    *) printf 'HTTP %s from %s\n' "$_code" "$2" >&2; return 22 ;;
  esac
}

# kiln_http_get URL OUTFILE ("-" streams to stdout, without the clock retry). Non-zero on errors.
kiln_http_get() {
  if kiln_have_curl && [ "$2" != - ]; then
    kiln_curl "$2" "$1"
  elif kiln_have_curl; then
    curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 -H "$(kiln_auth_line)" "$1"
  else
    wget -q -T 60 -t 3 --header="$(kiln_auth_line)" -O "$2" "$1"
  fi
}

# kiln_http_post URL CONTENT_TYPE BODYFILE [RESPONSEFILE]. Non-zero on HTTP errors.
kiln_http_post() {
  if kiln_have_curl; then
    kiln_curl "${4:-/dev/null}" "$1" "$2" "$3"
  else
    wget -q -T 60 -t 3 --header="$(kiln_auth_line)" --header="Content-Type: $2" --post-file="$3" \
      -O "${4:-/dev/null}" "$1"
  fi
}

# A JSON string literal (with quotes) made of printable ASCII only: the status endpoint rejects
# anything else (spec 6.3), so newlines become spaces and other bytes are dropped.
kiln_json_str() {
  printf '"%s"' "$(printf '%s' "$1" | tr '\n\r\t' '   ' | LC_ALL=C tr -cd ' -~' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

kiln_b64() {
  base64 <"$1" | tr -d '\n'
}

# Multipart bodies built by hand so curl and busybox wget send the same bytes.
KILN_BOUNDARY=kiln-$$-boundary-7d1c
kiln_mp_field() { # BODYFILE NAME VALUE
  printf -- '--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' "$KILN_BOUNDARY" "$2" "$3" >>"$1"
}
kiln_mp_file() { # BODYFILE NAME PATH
  {
    printf -- '--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n' "$KILN_BOUNDARY" "$2" "$2"
    printf 'Content-Type: application/octet-stream\r\n\r\n'
    cat "$3"
    printf '\r\n'
  } >>"$1"
}
kiln_mp_end() { # BODYFILE
  printf -- '--%s--\r\n' "$KILN_BOUNDARY" >>"$1"
}
kiln_mp_type() {
  printf 'multipart/form-data; boundary=%s' "$KILN_BOUNDARY"
}

# Seconds since boot with centiseconds, for runtimes without date +%N (busybox lacks it).
kiln_uptime() {
  cut -d' ' -f1 /proc/uptime
}
