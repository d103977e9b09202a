// How the controller reaches hosts over SSH (from globals.env / CLI options).

/** SSH options shared by every host of a run. */
export interface SshSettings {
  user: string;
  port: number;
  /** A private key file; without it the ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  keyPath?: string;
  /** OpenSSH known_hosts file; default ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  /** Record an unknown host's key on first contact (a changed key is still refused). */
  acceptNew?: boolean;
  /** TCP connect and SSH handshake limit, each; default 10 000 ms. */
  connectTimeoutMs?: number;
}
