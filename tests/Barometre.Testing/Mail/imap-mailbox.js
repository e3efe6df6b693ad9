// A real IMAP server on loopback for the bounce tests (npm's hoodiecrow-imap): one account, USER / PASSWORD, whose
// INBOX holds the .eml files of MESSAGES_DIR (in name order), none of them flagged; with KEYWORDS "no" it keeps only the
// system flags, as Exchange's IMAP does (no keywords of the client's own). It prints {"port": N} once
// listening; on stdin, a line "flags" prints the INBOX's flags per message as JSON, a line "append FILE" delivers the
// .eml FILE to the INBOX and prints "ok"; it stops when stdin closes.
const fs = require("fs");
const path = require("path");
const readline = require("readline");
const hoodiecrow = require("hoodiecrow-imap");

const [messagesDir, user, password, keywords] = process.argv.slice(2);
const systemFlags = ["\\Answered", "\\Flagged", "\\Draft", "\\Deleted", "\\Seen"];
const messages = fs.readdirSync(messagesDir).filter(f => f.endsWith(".eml")).sort()
  .map(f => ({ raw: fs.readFileSync(path.join(messagesDir, f), "latin1"), flags: [] }));

const server = hoodiecrow({
  plugins: ["UIDPLUS", "LITERALPLUS"],
  users: { [user]: { password } },
  storage: { INBOX: { messages, permanentFlags: systemFlags, allowPermanentFlags: keywords !== "no" } },
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + "\n");
});
const input = readline.createInterface({ input: process.stdin });
input.on("line", line => {
  if (line.trim() === "flags") {
    const inbox = server.getMailbox("INBOX");
    process.stdout.write(JSON.stringify(inbox.messages.map(m => m.flags)) + "\n");
  } else if (line.startsWith("append ")) {
    server.appendMessage("INBOX", [], false, fs.readFileSync(line.slice(7), "latin1"));
    process.stdout.write("ok\n");
  }
});
input.on("close", () => process.exit(0));
