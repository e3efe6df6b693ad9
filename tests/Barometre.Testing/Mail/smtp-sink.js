// A real SMTP server on loopback for the e-mail tests (npm's smtp-server): it accepts every message and writes it,
// as received, to OUT_DIR/<n>.eml, except for the recipients listed in REFUSE (comma-separated), answered
// "550 5.1.1 Adresse inconnue". It prints {"port": N} once listening, and stops when its stdin closes.
const fs = require("fs");
const path = require("path");
const { SMTPServer } = require("smtp-server");

const [outDir, refuseList] = process.argv.slice(2);
const refused = new Set((refuseList || "").split(",").filter(Boolean).map(a => a.toLowerCase()));
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, session, callback) {
    if (refused.has(address.address.toLowerCase())) {
      const error = new Error("5.1.1 Adresse inconnue");
      error.responseCode = 550;
      return callback(error);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", chunk => chunks.push(chunk));
    stream.on("end", () => {
      const n = ++count;
      const file = path.join(outDir, String(n).padStart(6, "0") + ".eml");
      // Written under a temporary name and renamed: a reader never sees half a message.
      fs.writeFileSync(file + ".tmp", Buffer.concat(chunks));
      fs.renameSync(file + ".tmp", file);
      callback(null, "Message " + n + " accepte");
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.server.address().port }) + "\n");
});
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
