/** Word lists that tell a name from an ordinary capitalised word; shared by discovery and grouping. */

// Capitalised words that are not names of anything a briefing could be about: months and days, titles
// (trimmed off the ends of a name, so "President Biden" counts as "Biden"), salutations, and the function
// words, pronouns and interjections that open a sentence or a reporter's question ("Is", "Hey", "Do").
export const GENERIC = new Set(
  (
    'january february march april may june july august september october november december monday tuesday ' +
    'wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'q mr mrs ms dr president secretary minister prime vice general senator ambassador administration ' +
    'government thank thanks sources wikipedia okay yes no well so and but the a an i we you he she they it ' +
    'this that these those there here as in on at for to of with by from or if when what where who why how ' +
    'our my your his her their its after before during over under all some am pm a.m p.m edt est et utc ' +
    'yeah hi hello please let dear madam sir hey oh um uh ok sure right look listen again also just now then ' +
    'is are was were be been being do does did done can could will would shall should may might must have ' +
    'has had not any each every both either neither another other such much many more most very too ' +
    'me him us them mine yours ours theirs myself yourself himself herself ourselves themselves ' +
    'one two three four five six seven eight nine ten first second third last next good great ' +
    'speaker admiral governor mayor rep sen gen col lt adm maj capt sgt majesty holiness excellency highness jr sr'
  ).split(' '),
);

/** Words that, written before a name, show it is a person's ("Admiral Kirby", "Secretary Blinken"). */
export const TITLES = new Set(
  (
    'president secretary minister prime vice senator ambassador speaker admiral general governor mayor ' +
    'rep sen gen col lt adm maj capt sgt mr mrs ms dr leader chairman director commissioner coordinator ' +
    'spokesperson spokesman adviser advisor envoy king queen prince princess sheikh emir ayatollah pope'
  ).split(' '),
);

// Words of a role that is not a name when nothing else comes with it ("National Security Advisor",
// "First Lady", "Crown Prince", "Supreme Leader", "Chief of Staff").
export const ROLE_WORDS = new Set(
  'national security foreign defense deputy assistant press chief first lady gentleman crown supreme senior principal special staff executive officer'.split(
    ' ',
  ),
);

// The furniture of presidential documents: capitalised in every one of them, the subject of none.
export const BOILERPLATE = new Set([
  'executive order',
  'u.s.c.',
  'u.s.c',
  'federal register',
  'public law',
  'dear madam speaker',
  'dear mr. president',
]);
