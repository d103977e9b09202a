{
  "listen": "__LAN_IP__",
  "port": __LICENSE_PORT__,
  "serverCert": "__CERT_PATH__/license_cert.cert",
  "serverKey": "__CERT_PATH__/license_prv.key",
  "caCert": "__CERT_PATH__/ca.crt",
  "logFile": "__LOGS_HOME__/license.log"
}
