/**
 * A capital standing for its country's government: "When did Ottawa and Riyadh patch up the rift …" asks
 * about Canada and Saudi Arabia, which a digest names ("Canada and Saudi Arabia agree to restore full
 * diplomatic relations") without either capital.
 */
import type { SearchIndex } from './index/build.ts';
import { normaliseTerm } from './index/tokenize.ts';

/**
 * Capitals, with the words sources write their country by: its name and demonym, one word each (the
 * distinctive word of a longer name: "Saudi" of Saudi Arabia). Left out: capitals whose name means
 * something else in this news (Vienna and Oslo for the talks held there, Brussels for the EU, Sanaa for
 * the Houthis who hold it, Jerusalem), whose country word is shared (Seoul, Pyongyang: "Korea"), and names
 * of two words (a question's "Abu Dhabi" is a name run, read whole).
 */
const CAPITALS: Readonly<Record<string, readonly string[]>> = {
  abuja: ['Nigeria', 'Nigerian'],
  algiers: ['Algeria', 'Algerian'],
  amman: ['Jordan', 'Jordanian'],
  ankara: ['Turkey', 'Turkish', 'Türkiye'],
  athens: ['Greece', 'Greek'],
  baghdad: ['Iraq', 'Iraqi'],
  baku: ['Azerbaijan', 'Azerbaijani'],
  beijing: ['China', 'Chinese'],
  beirut: ['Lebanon', 'Lebanese'],
  berlin: ['Germany', 'German'],
  cairo: ['Egypt', 'Egyptian'],
  canberra: ['Australia', 'Australian'],
  caracas: ['Venezuela', 'Venezuelan'],
  damascus: ['Syria', 'Syrian'],
  delhi: ['India', 'Indian'],
  doha: ['Qatar', 'Qatari'],
  islamabad: ['Pakistan', 'Pakistani'],
  kabul: ['Afghanistan', 'Afghan'],
  khartoum: ['Sudan', 'Sudanese'],
  kiev: ['Ukraine', 'Ukrainian'],
  kyiv: ['Ukraine', 'Ukrainian'],
  london: ['Britain', 'British'],
  madrid: ['Spain', 'Spanish'],
  manama: ['Bahrain', 'Bahraini'],
  mogadishu: ['Somalia', 'Somali'],
  moscow: ['Russia', 'Russian'],
  muscat: ['Oman', 'Omani'],
  nairobi: ['Kenya', 'Kenyan'],
  nicosia: ['Cyprus', 'Cypriot'],
  ottawa: ['Canada', 'Canadian'],
  paris: ['France', 'French'],
  rabat: ['Morocco', 'Moroccan'],
  riyadh: ['Saudi', 'Saudis'],
  rome: ['Italy', 'Italian'],
  tehran: ['Iran', 'Iranian'],
  tokyo: ['Japan', 'Japanese'],
  tunis: ['Tunisia', 'Tunisian'],
  warsaw: ['Poland', 'Polish'],
};

/**
 * The country a capital in a question stands for, as the terms the corpus writes it by: where the capital
 * acts ("did Islamabad outlaw", "Riyadh's response"), not where it is the place of an event ("a strike in
 * Baghdad", "flew to Doha"), which a source about the country need not be about. Nor where the question
 * names the country too (`asked`: its words, as index terms): "Kirby's claim that Baghdad had been told
 * … of the strikes in Iraq" gains nothing from Iraq twice, and its passages that name Baghdad would lose
 * their lead to every one that names Iraq. A demonym is not the country named: in "which militia of
 * Pakistani Shia fighters did Islamabad outlaw", Islamabad is still Pakistan's government.
 */
export function capitalCountry(
  index: SearchIndex,
  raw: string,
  before: string,
  asked: ReadonlySet<string>,
): number[] | undefined {
  const forms = CAPITALS[raw.toLowerCase().replace(/['’]s$/, '')];
  if (forms === undefined || !/^\p{Lu}/u.test(raw) || PLACE_BEFORE.test(before)) return undefined;
  if (asked.has(normaliseTerm(forms[0]!))) return undefined;
  const terms = forms.flatMap((f) => {
    const id = index.vocabulary.get(normaliseTerm(f));
    return id === undefined ? [] : [id];
  });
  return terms.length === 0 ? undefined : [...new Set(terms)];
}

// Words that make a capital the place of an event rather than its government: "a strike in Baghdad", and
// the verbs that go to a place or hit it ("the first to visit Damascus", "missiles struck Kyiv").
const PLACE_BEFORE =
  /\b(?:in|at|near|outside|inside|into|to|from|over|across|around|off|via|toward|towards|through|visit(?:s|ed|ing)?|reach(?:es|ed)?|enter(?:s|ed)?|leave|left|fled|hit|struck|strikes?|bomb(?:s|ed)?|shell(?:s|ed)?|captured?)\s+(?:the\s+)?(?:\w+ern\s+)?$/i;
