/**
 * A file-level problem that stops a load: the message names the file and the problem and says what to do.
 * `lens load` prints it and exits non-zero; the warehouse is left as it was.
 */
export class LoadError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "LoadError";
  }
}
