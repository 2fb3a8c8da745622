// The timer's chime (issue 18): a short tone made in the browser with Web Audio (no audio
// file, no third party). Browsers let a page make sound only after someone clicked or
// pressed a key on it, so the chime waits for that; muting is kept in memory only (no
// browser storage: a reload sounds again).

const NOTES = { minute: [[660, 0]], end: [[880, 0], [660, 0.3]] }; // [hertz, start s]
const LENGTH = 0.35; // seconds per note
const LOUDNESS = 0.2;

/** A chime for this page; play('minute' | 'end') sounds unless muted or not yet allowed. */
export function createChime(target = globalThis) {
  let context = null;
  let muted = false;
  const Context = target.AudioContext ?? target.webkitAudioContext;

  function unlock() {
    if (!Context) return;
    context ??= new Context();
    if (context.state === 'suspended') context.resume().catch(() => {});
  }
  target.addEventListener?.('pointerdown', unlock, { capture: true });
  target.addEventListener?.('keydown', unlock, { capture: true });

  function note(hertz, start) {
    const at = context.currentTime + start;
    const tone = context.createOscillator();
    const gain = context.createGain();
    tone.type = 'sine';
    tone.frequency.value = hertz;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(LOUDNESS, at + 0.02); // no click at the start
    gain.gain.exponentialRampToValueAtTime(0.0001, at + LENGTH);
    tone.connect(gain).connect(context.destination);
    tone.start(at);
    tone.stop(at + LENGTH + 0.05);
  }

  return {
    play(cue) {
      if (muted || !context || context.state === 'closed' || !NOTES[cue]) return false;
      const sound = () => { for (const [hertz, start] of NOTES[cue]) note(hertz, start); };
      if (context.state === 'running') sound();
      else { // allowed (someone clicked) but not started yet, or suspended since: start it
        context.resume().then(() => { if (!muted && context.state === 'running') sound(); }).catch(() => {});
      }
      return true;
    },
    get muted() { return muted; },
    set muted(value) { muted = Boolean(value); },
  };
}
