#!/bin/sh
# The private CA of the NATS cluster and the certificate of its nodes: docker-compose.yml's `nats-tls` job runs
# it at every `up`, and the tests run it as it is. It makes what is missing, and issues the nodes' certificate
# again when it no longer chains to the CA, names other hosts or expires within 30 days. It never replaces a
# CA that exists: the roles' copy of it stays valid. Restart the NATS nodes after a new certificate.
#   NATS_TLS_CA_DIR      ca.pem, which the roles and the nodes trust (NATS_TLS_CA_FILE)
#   NATS_TLS_CA_KEY_DIR  ca-key.pem, the CA's key: only this job mounts it
#   NATS_TLS_SERVER_DIR  server.pem and server-key.pem: the nodes' client port and their routes (both ways)
#   NATS_TLS_HOSTS       the names (or IPs) clients and nodes reach the nodes at, e.g. "nats-1 nats-2 nats-3"
set -eu
: "${NATS_TLS_CA_DIR:?}" "${NATS_TLS_CA_KEY_DIR:?}" "${NATS_TLS_SERVER_DIR:?}" "${NATS_TLS_HOSTS:?}"
ca="$NATS_TLS_CA_DIR/ca.pem"
ca_key="$NATS_TLS_CA_KEY_DIR/ca-key.pem"
cert="$NATS_TLS_SERVER_DIR/server.pem"
key="$NATS_TLS_SERVER_DIR/server-key.pem"
hosts="$NATS_TLS_SERVER_DIR/hosts"
umask 077

if [ ! -s "$ca" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=durable-checkout NATS CA" -keyout "$ca_key" -out "$ca" 2>/dev/null
  # Public: the roles run as an unprivileged user.
  chmod 0755 "$NATS_TLS_CA_DIR"
  chmod 0644 "$ca"
  rm -f "$cert"
  echo "nats-tls: new CA $ca"
fi

current() {
  [ -s "$cert" ] && [ -s "$key" ] && [ "$(cat "$hosts" 2>/dev/null)" = "$NATS_TLS_HOSTS" ] &&
    openssl verify -CAfile "$ca" "$cert" >/dev/null 2>&1 &&
    openssl x509 -checkend 2592000 -noout -in "$cert" >/dev/null
}

if ! current; then
  if [ ! -s "$ca_key" ]; then
    echo "nats-tls: the CA's key $ca_key is missing, so no certificate can be issued; remove the CA volume too to start over" >&2
    exit 1
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  san=""
  for host in $NATS_TLS_HOSTS; do
    case "$host" in
      *[!0-9.]*) entry="DNS:$host" ;;
      *) entry="IP:$host" ;;
    esac
    san="${san:+$san,}$entry"
  done
  # serverAuth for clients, clientAuth because each node is the client of its routes to the others.
  printf '%s\n' "subjectAltName=$san" "extendedKeyUsage=serverAuth,clientAuth" "keyUsage=critical,digitalSignature" "basicConstraints=critical,CA:FALSE" >"$work/ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=durable-checkout NATS" \
    -keyout "$work/key.pem" -out "$work/csr.pem" 2>/dev/null
  openssl x509 -req -in "$work/csr.pem" -CA "$ca" -CAkey "$ca_key" -CAcreateserial -CAserial "$work/serial" \
    -days 397 -extfile "$work/ext" -out "$work/cert.pem" 2>/dev/null
  chmod 0644 "$work/cert.pem"
  mv "$work/key.pem" "$key"
  mv "$work/cert.pem" "$cert"
  printf '%s\n' "$NATS_TLS_HOSTS" >"$hosts"
  echo "nats-tls: new certificate $cert for $NATS_TLS_HOSTS"
fi
