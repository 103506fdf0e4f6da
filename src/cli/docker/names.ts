/**
 * Container names as the docker daemon makes them when `--name` is absent:
 * `adjective_surname` (a notable scientist or engineer), with a digit added
 * on a retry after a clash (moby pkg/namesgenerator). The word lists are
 * podplay's own, in the same spirit.
 */

const ADJECTIVES = [
  'admiring', 'adoring', 'agitated', 'amazing', 'awesome', 'blissful', 'bold', 'boring', 'brave', 'busy',
  'charming', 'clever', 'compassionate', 'confident', 'cool', 'cranky', 'dazzling', 'determined', 'dreamy', 'eager',
  'ecstatic', 'elated', 'elegant', 'eloquent', 'epic', 'exciting', 'fervent', 'festive', 'focused', 'friendly',
  'funny', 'gallant', 'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'inspiring', 'jolly',
  'jovial', 'keen', 'kind', 'laughing', 'loving', 'lucid', 'magical', 'modest', 'musing', 'nervous',
  'nice', 'nifty', 'nostalgic', 'optimistic', 'peaceful', 'pensive', 'practical', 'quirky', 'relaxed', 'romantic',
  'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange', 'sweet', 'tender', 'trusting', 'upbeat',
  'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous', 'zen',
];

const SURNAMES = [
  'babbage', 'bardeen', 'bohr', 'bose', 'cerf', 'chandrasekhar', 'curie', 'darwin', 'dijkstra', 'einstein',
  'euler', 'faraday', 'fermat', 'fermi', 'feynman', 'franklin', 'galileo', 'gauss', 'goodall', 'hamilton',
  'hawking', 'heisenberg', 'hodgkin', 'hopper', 'hypatia', 'johnson', 'kepler', 'knuth', 'lamarr', 'lamport',
  'leakey', 'liskov', 'lovelace', 'mayer', 'mcclintock', 'meitner', 'mendel', 'mirzakhani', 'morse', 'newton',
  'noether', 'pasteur', 'planck', 'raman', 'ramanujan', 'ride', 'ritchie', 'shannon', 'sinoussi', 'tesla',
  'thompson', 'torvalds', 'turing', 'wozniak', 'wu', 'yalow',
];

const pick = <T>(list: readonly T[], random: () => number): T => list[Math.floor(random() * list.length)]!;

/** One name; `retry` > 0 appends a digit, as the daemon does after a clash. */
export function randomName(retry = 0, random: () => number = Math.random): string {
  for (;;) {
    const name = `${pick(ADJECTIVES, random)}_${pick(SURNAMES, random)}`;
    // Steve Wozniak is not boring (namesgenerator's one exception).
    if (name === 'boring_wozniak') continue;
    return retry > 0 ? `${name}${Math.floor(random() * 10)}` : name;
  }
}

/** docker's rule for `--name`: a letter or digit, then letters, digits, `_`, `.` or `-`. */
export const VALID_NAME = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
