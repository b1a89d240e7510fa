import { StringDecoder } from "node:string_decoder";

/**
 * Splits a byte stream into lines (`\n`, `\r\n`, or a lone `\r` as progress
 * bars print), holding at most `maxLineLength` characters of a line: the rest
 * of an overlong line is dropped and the kept prefix is passed on flagged as
 * truncated (a cut line must not be read as metrics: `0.95` cut to `0.9`).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private partial = "";
  private overflowing = false;

  constructor(
    private readonly onLine: (line: string, truncated: boolean) => void,
    private readonly maxLineLength = 64 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  end(): void {
    this.take(this.decoder.end());
    if (this.partial !== "" || this.overflowing) this.emit();
  }

  private take(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.append(text.slice(start, i));
      this.emit();
      // `\r\n` is one break.
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.append(text.slice(start));
  }

  private append(piece: string): void {
    if (this.overflowing || piece === "") return;
    const room = this.maxLineLength - this.partial.length;
    if (piece.length > room) {
      this.partial += piece.slice(0, room);
      this.overflowing = true;
    } else {
      this.partial += piece;
    }
  }

  private emit(): void {
    const line = this.partial;
    const truncated = this.overflowing;
    this.partial = "";
    this.overflowing = false;
    this.onLine(line, truncated);
  }
}
