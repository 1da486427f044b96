/**
 * A message as one line of stderr: control characters (a line break or escape sequence in a file
 * name or flag value) are written as JSON escapes, so a hostile argument cannot add lines to a
 * CI log or move the terminal's cursor.
 */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f]/g, c =>
    JSON.stringify(c).slice(1, -1),
  );
}
