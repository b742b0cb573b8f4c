/** Local wall-clock time as staff read it (HH:MM, with the date when it is not today). */
export function formatLocalTime(ms: number, now: number = Date.now()): string {
  const at = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return new Date(now).toDateString() === at.toDateString() ? time : `${at.getMonth() + 1}月${at.getDate()}日 ${time}`;
}
