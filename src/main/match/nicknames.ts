// Common English given-name nicknames and spelling variants, so "Bob" can find "Robert" and
// "Liz" can find "Elizabeth".
//
// Why our own table: the npm registry has no maintained nickname table we could use. `nicknames`
// (1.0.2, one release) generates random joke nicknames; the useful lists (the genealogy-derived
// "nickname-and-diminutive-names-lookup" CSV and its PHP/Ruby/Perl wrappers) are not npm packages,
// carry hundreds of archaic entries that would create false suggestions ("Sandy" for "Alexander",
// "Elsie" for "Elizabeth" is rare today). The table below is curated by hand for names an American
// advisor's clients actually use; it errs on the side of fewer, safer links, because a nickname
// only ever produces a suggestion the advisor reviews. A short form missing here makes a client
// who books under it an orphan ("Ray" for Raymond was), so the demo practice's nickname list is
// checked against this table by a test.
//
// Format: `formal: nickname nickname …` — a nickname may belong to several formal names ("Chris",
// "Alex", "Pat"); `= a b c` lines list spellings of one name ("Steven", "Stephen").

const NICKNAME_TABLE = `
abigail: abby abbie gail
abraham: abe
adam: ad
adeline: addie
agnes: aggie
alan: al
albert: al bert bertie
alejandro: alex
alexander: alex alec al xander
alexandra: alex alexa lexi sasha sandra
alexis: lexi
alfred: al alf alfie fred
allison: ally allie
amanda: mandy
amelia: millie
andrew: andy drew
angela: angie
annabelle: annie belle
anne: annie
anthony: tony
antoinette: toni
antonio: tony
archibald: archie
arthur: art artie
augustus: gus
barbara: barb babs barbie
bartholomew: bart
beatrice: bea trixie
benedict: ben
benjamin: ben benny benji
bernadette: bernie
bernard: bernie
beverly: bev
bradford: brad
bradley: brad
calvin: cal
cameron: cam
caroline: carrie carol
cassandra: cassie
catherine: cathy kate katie cat kat kathy
cecilia: cece
charles: charlie chuck chas chip
charlotte: charlie lottie
christian: chris
christina: chris tina chrissy
christine: chris tina chrissy
christopher: chris kit topher
clementine: clem
clifford: cliff
constance: connie
curtis: curt
cynthia: cindy
daniel: dan danny
danielle: dani
david: dave davey
deborah: deb debbie
dennis: denny
diana: di
dominic: dom
donald: don donnie
dorothy: dot dottie dotty
douglas: doug
edith: edie
edward: ed eddie ted teddy ned
edwin: ed
eleanor: ellie nora
elias: eli
elijah: eli
elizabeth: liz lizzie beth betty betsy eliza libby lisa bess
ellen: ellie
emily: em emmy
emmanuel: manny
ernest: ernie
eugene: gene
evelyn: evie
ezekiel: zeke
florence: flo
frances: fran frannie
francis: frank fran
francisco: frank
franklin: frank
frederick: fred freddie
gabriel: gabe
gabriella: gabby
gabrielle: gabby
georgia: georgie
georgina: georgie
gerald: gerry jerry
geraldine: geri
gerard: gerry
gertrude: gertie trudy
gilbert: gil
gordon: gordy
gregory: greg
gwendolyn: gwen
harold: hal harry
harriet: hattie
harrison: harry
henry: hank harry
herbert: herb bert
howard: howie
isabella: izzy bella
jackson: jack
jacob: jake
jacqueline: jackie jacqui
james: jim jimmy jamie
jane: janie
janet: jan
janice: jan
jefferson: jeff
jeffrey: jeff
jennifer: jen jenn jenny
jerome: jerry
jessica: jess jessie
joanna: jo
joanne: jo
john: jack johnny jon
jonathan: jon jonny nathan
joseph: joe joey
josephine: jo josie
joshua: josh
judith: judy
julian: jules
katherine: kate katie kathy kat kay
kathleen: kathy kate
katrina: kat trina
kenneth: ken kenny
kimberly: kim
lawrence: larry
leonard: len lenny leo
leonardo: leo
leslie: les
lillian: lily lil
louis: lou
louisa: lou
louise: lou
lucas: luke
lucinda: cindy
madeline: maddie maddy
malcolm: mal
manuel: manny
margaret: maggie meg peggy marge margie greta
marjorie: marge margie
martha: marty mattie
martin: marty
matilda: tilly
matthew: matt
maurice: moe
maximilian: max
maxwell: max
melanie: mel
melinda: mindy mel
melissa: mel missy
melvin: mel
michael: mike mikey mick mickey
michelle: shelly
mildred: millie
mitchell: mitch
montgomery: monty
mortimer: mort
nancy: nan
natalie: nat
nathan: nate
nathaniel: nate nathan nat
nicholas: nick nicky
nicole: nikki
norman: norm
oliver: ollie
olivia: liv livvy
pamela: pam
patricia: pat patty trish tricia
patrick: pat paddy
penelope: penny
percival: percy
peter: pete
philip: phil
prudence: prue
randall: randy
randolph: randy
raymond: ray
rebecca: becky becca
reginald: reggie reg
richard: rick ricky rich richie dick
robert: bob bobby rob robbie bert
roberta: bobbie
roderick: rod
rodney: rod
ronald: ron ronnie
rosalind: roz
rosemary: rosie
rudolph: rudy
russell: russ
salvatore: sal
samantha: sam sammy sammie
samuel: sam sammy
sandra: sandy
sebastian: seb
sidney: sid
solomon: sol
sophia: sophie
stanley: stan
stephanie: steph stevie
stephen: steve stevie
stuart: stu
susan: sue susie suzy
susanna: sue susie
suzanne: sue suzy
tabitha: tabby
tamara: tammy
terence: terry
teresa: terry terri tess tessa
thaddeus: thad
theodore: ted teddy theo
thomas: tom tommy
timothy: tim timmy
tobias: toby
tyler: ty
valerie: val
veronica: ronnie
victor: vic
victoria: vicky vicki tori
vincent: vince vinny
virginia: ginny
vivian: viv
wallace: wally
walter: walt wally
wesley: wes
william: bill billy will willie liam
winifred: winnie
zachary: zach zack
= catherine katherine kathryn katharine catharine
= stephen steven
= philip phillip
= jeffrey geoffrey jeffery
= sara sarah
= ann anne
= lindsay lindsey
= allison alison
= isabella isabel isabelle
= madeline madelyn madeleine
= frederick fredrick
= terence terrence
= mathew matthew
= teresa theresa
= eric erik
= marc mark
= carl karl
= zachary zachery
= nicholas nicolas
= jacqueline jaqueline
= kristen kristin
= caroline carolyn
= elizabeth elisabeth
= hannah hanna
= helen helene
= christopher kristopher
= christina kristina
= sean shawn shaun
= brian bryan
= stuart stewart
= alan allen allan
= deborah debra
= lawrence laurence
= nicole nichole
= carol carole
= rebecca rebekah
= sophia sofia
= megan meghan
= rachel rachael
= eleanor elinor
= elliot elliott
= gabriella gabriela
= susanna susannah
= sidney sydney
= vivian vivien
= dennis denis
= ashley ashleigh
= zoe zoey
`;

type GivenNameTable = Readonly<{
  /** spelling → the spelling the table uses for that name. */
  canonicalSpelling: ReadonlyMap<string, string>;
  /** formal (canonical spelling) → its nicknames. */
  nicknamesByFormal: ReadonlyMap<string, readonly string[]>;
  /** nickname → the formal names it is short for. */
  formalsByNickname: ReadonlyMap<string, readonly string[]>;
}>;

function parseTable(text: string): GivenNameTable {
  const canonicalSpelling = new Map<string, string>();
  const nicknamesByFormal = new Map<string, string[]>();
  const formalsByNickname = new Map<string, string[]>();
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  for (const line of lines) {
    if (!line.startsWith('=')) continue;
    const [first, ...others] = line.slice(1).trim().split(/\s+/);
    if (first === undefined) continue;
    for (const other of others) canonicalSpelling.set(other, first);
  }
  const spell = (name: string): string => canonicalSpelling.get(name) ?? name;
  for (const line of lines) {
    if (line.startsWith('=')) continue;
    const [head, tail = ''] = line.split(':');
    if (head === undefined) continue;
    const formal = spell(head.trim());
    const nicknames = tail.trim().split(/\s+/).filter(Boolean).map(spell);
    nicknamesByFormal.set(formal, [...(nicknamesByFormal.get(formal) ?? []), ...nicknames]);
    for (const nickname of nicknames) {
      const formals = formalsByNickname.get(nickname) ?? [];
      if (!formals.includes(formal)) formals.push(formal);
      formalsByNickname.set(nickname, formals);
    }
  }
  return { canonicalSpelling, nicknamesByFormal, formalsByNickname };
}

const TABLE = parseTable(NICKNAME_TABLE);

/** The spelling the table uses for a (folded, lower-case) given name: "steven" → "stephen". */
export function canonicalSpelling(name: string): string {
  return TABLE.canonicalSpelling.get(name) ?? name;
}

/** Nicknames of a formal name ("robert" → bob, bobby, rob, …); empty when it has none. */
export function nicknamesOf(formal: string): readonly string[] {
  return TABLE.nicknamesByFormal.get(canonicalSpelling(formal)) ?? [];
}

/** Formal names a nickname is short for ("chris" → christina, christine, christopher). */
export function formalNamesOf(nickname: string): readonly string[] {
  return TABLE.formalsByNickname.get(canonicalSpelling(nickname)) ?? [];
}

/**
 * Every table name a given name stands for: its own canonical spelling plus the formal names it
 * is a nickname of. Two given names that share one of these may be the same person.
 */
export function givenNameGroup(name: string): readonly string[] {
  const cached = groups.get(name);
  if (cached !== undefined) return cached;
  const own = canonicalSpelling(name);
  const formals = TABLE.formalsByNickname.get(own);
  const group =
    formals === undefined ? [own] : [own, ...formals.filter((formal) => formal !== own)];
  // Matching asks for the same few thousand names over and over; keep the answers (bounded).
  if (groups.size >= GROUPS_LIMIT) groups.clear();
  groups.set(name, group);
  return group;
}

const GROUPS_LIMIT = 50_000;
const groups = new Map<string, readonly string[]>();

export type GivenNameRelation =
  | Readonly<{ kind: 'same' }>
  | Readonly<{ kind: 'spelling' }>
  | Readonly<{ kind: 'nickname'; nickname: string; formal: string }>
  | Readonly<{ kind: 'shared-formal'; formal: string }>;

const SAME: GivenNameRelation = { kind: 'same' };
const SPELLING: GivenNameRelation = { kind: 'spelling' };

/** How two folded given names relate through the table, or null when they do not. */
export function relateGivenNames(a: string, b: string): GivenNameRelation | null {
  if (a === b) return SAME;
  const canonA = canonicalSpelling(a);
  const canonB = canonicalSpelling(b);
  if (canonA === canonB) return SPELLING;
  if (formalNamesOf(canonA).includes(canonB)) return { kind: 'nickname', nickname: a, formal: b };
  if (formalNamesOf(canonB).includes(canonA)) return { kind: 'nickname', nickname: b, formal: a };
  const formalsB = formalNamesOf(canonB);
  const shared = formalNamesOf(canonA).find((formal) => formalsB.includes(formal));
  return shared === undefined ? null : { kind: 'shared-formal', formal: shared };
}
