// Timer cues (issue 18): "one minute left" and time up, seen on the timer and heard as a
// short chime on the facilitator's screen and the room's display. Pure functions, tested
// with node --test; the chime itself is in chime.js.

export const LAST_MINUTE = 60;

/** The cue to give as the countdown goes from `before` to `now` seconds left: 'minute' when
 * it crosses into the last minute, 'end' when it reaches time up; null otherwise (no timer,
 * the first reading after loading or resyncing, time added, the clock standing still).
 * When a sleeping tab skips both moments at once, only the latest ('end') is given. */
export function cueFor(before, now) {
  if (before === null || before === undefined || now === null || now === undefined || now >= before) return null;
  if (before > 0 && now <= 0) return 'end';
  if (before > LAST_MINUTE && now <= LAST_MINUTE) return 'minute';
  return null;
}

/** How the timer looks with this many seconds left: 'last-minute' in the last minute,
 * 'over' once time is up, '' otherwise (and with no timer). */
export function phaseOf(seconds) {
  if (seconds === null || seconds === undefined) return '';
  if (seconds <= 0) return 'over';
  return seconds <= LAST_MINUTE ? 'last-minute' : '';
}

/** The words under the timer for a phase (strings: timer_last_minute, timer_up). */
export function cueText(phase, strings) {
  if (phase === 'last-minute') return strings.timer_last_minute;
  if (phase === 'over') return strings.timer_up;
  return '';
}
