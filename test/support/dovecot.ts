import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";

/** Where Debian's dovecot-imapd puts the server, if it is installed. */
export function dovecotBinary(): string | null {
  for (const path of ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]) if (existsSync(path)) return path;
  try {
    return execFileSync("sh", ["-c", "command -v dovecot"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

async function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface MailUser {
  user: string;
  password: string;
}

/**
 * A real IMAP server (Dovecot) for one test file: its own configuration, users and maildirs in a temporary
 * folder, plain IMAP on a spare loopback port, no TLS, no systemd. As root it runs its processes as the
 * package's users; otherwise as the current user.
 */
export class Dovecot {
  private process: ChildProcess | null = null;
  private dir = "";
  port = 0;

  constructor(private users: readonly MailUser[]) {}

  /** Adds a user to the running server (passwd-file is read at each login). */
  async addUser(user: MailUser): Promise<void> {
    this.users = [...this.users, user];
    this.writeUsers();
  }

  private writeUsers() {
    writeFileSync(
      join(this.dir, "passwd"),
      this.users.map(({ user, password }) => `${user}:{PLAIN}${password}::::::\n`).join(""),
    );
  }

  async start(port?: number): Promise<this> {
    const binary = dovecotBinary();
    if (!binary) throw new Error("dovecot is not installed (apt-get install dovecot-imapd)");
    if (!this.dir) {
      this.dir = mkdtempSync(join(tmpdir(), "pantau-dovecot-"));
      for (const sub of ["run", "state", "mail"]) mkdirSync(join(this.dir, sub));
    }
    this.port = port ?? (this.port || (await sparePort()));
    const root = process.getuid?.() === 0;
    const me = userInfo().username;
    const group = root ? "nogroup" : (execFileSync("id", ["-gn"], { encoding: "utf8" }).trim() as string);
    this.writeUsers();
    if (root) {
      chmodSync(this.dir, 0o755);
      chmodSync(join(this.dir, "mail"), 0o777);
    }
    const config = `
base_dir = ${this.dir}/run
state_dir = ${this.dir}/state
log_path = ${this.dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${this.dir}/mail/%u
default_internal_user = ${root ? "dovecot" : me}
default_internal_group = ${root ? "dovecot" : group}
default_login_user = ${root ? "dovenull" : me}
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${this.dir}/passwd
}
userdb {
  driver = static
  args = uid=${root ? "nobody" : me} gid=${root ? "nogroup" : group} home=${this.dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
    writeFileSync(join(this.dir, "dovecot.conf"), config);
    const child = spawn(binary, ["-F", "-c", join(this.dir, "dovecot.conf")], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    this.process = child;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dovecot exited (${child.exitCode}): ${output}${this.log()}`);
      try {
        const client = this.client(this.users[0] as MailUser);
        await client.connect();
        await client.logout();
        return this;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`dovecot did not answer: ${String(error)} ${output}${this.log()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  log(): string {
    const path = join(this.dir, "dovecot.log");
    return existsSync(path) ? readFileSync(path, "utf8").slice(-4000) : "";
  }

  /** Stops the server (its master process and, with it, its children); the maildirs stay for a restart. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  client({ user, password }: MailUser): ImapFlow {
    const client = new ImapFlow({
      host: "127.0.0.1",
      port: this.port,
      secure: false,
      auth: { user, pass: password },
      logger: false,
      disableAutoIdle: true,
    });
    client.on("error", () => {});
    return client;
  }

  /** Puts a message into a user's INBOX by IMAP APPEND, as a mail server delivering it would. */
  async append(account: MailUser, source: string | Buffer): Promise<void> {
    const client = this.client(account);
    await client.connect();
    try {
      await client.append("INBOX", source);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /** The URL the intake reads a user's INBOX by. */
  url({ user, password }: MailUser): string {
    return `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/INBOX`;
  }
}
