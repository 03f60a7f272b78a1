/** Progress on stderr: a bar redrawn in place on a terminal, a line per step otherwise. */
export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private last = 0;

  constructor(private readonly label: string, private readonly quiet = false) {}

  update(done: number, total: number, what = ''): void {
    if (this.quiet) return;
    if (this.tty) {
      const now = Date.now();
      if (now - this.last < 80 && done < total) return;
      this.last = now;
      const width = 28;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what}`.slice(0, 110).padEnd(110));
      if (done >= total) process.stderr.write('\n');
    } else if (done === total || what) {
      process.stderr.write(`${this.label}: ${done}/${total}${what ? ` ${what}` : ''}\n`);
    }
  }
}
