// The portal's shared state. Modules change the properties of these objects; none replaces
// the objects themselves.

export const state = {
  lang: 'EN',
  release: null, // { version, publishedAt, synthetic }
  vocab: new Map(), // enum name -> Map(code -> { KK, RU, EN })
  categories: [], // [{ code, concern, labels }]
  regions: new Map(), // jurisdiction ('' for all) -> [{ code, jurisdiction, kind, createdYear, labels }]
};

// What the views keep between two renders.
export const session = {
  lastCasesHash: '#/cases', // the case list last shown, for the case page's way back
  casesUI: null, // the mounted case browser, reused while only the filters change
  statsUI: null, // the mounted statistics form, reused while only the choices change
  langInLink: false, // the address names the language (lang=kk): a link had it, or the reader switched
};
