"""What the drafter knows of the world without a model: parties and the words that name them
(countries, their adjectives, capitals and seats of government, and armed or political groups
that negotiate), places where talks are held, and the titles people carry before their names.

A party is written as the register of delegations writes it ("United States"); each of its words
(lower case) names it. Facts of spelling only, common knowledge; extend freely.
"""

from __future__ import annotations

PARTIES: dict[str, tuple[str, ...]] = {
    "United States": (
        "us",
        "u.s.",
        "usa",
        "america",
        "american",
        "americans",
        "washington",
        "white house",
        "state department",
        "pentagon",
        "united states",
    ),
    "Russia": ("russia", "russian", "russians", "moscow", "kremlin", "russian federation"),
    "Ukraine": ("ukraine", "ukrainian", "ukrainians", "kyiv", "kiev"),
    "European Union": ("eu", "e.u.", "european union", "brussels"),
    "United Kingdom": ("uk", "u.k.", "britain", "british", "london", "united kingdom"),
    "France": ("france", "french", "paris", "elysee", "élysée"),
    "Germany": ("germany", "german", "berlin"),
    "Turkey": ("turkey", "türkiye", "turkish", "ankara"),
    "Qatar": ("qatar", "qatari", "doha"),
    "Egypt": ("egypt", "egyptian", "cairo"),
    "Israel": ("israel", "israeli", "israelis", "jerusalem"),
    "Hamas": ("hamas",),
    "Palestinian Authority": ("palestinian authority", "ramallah"),
    "Saudi Arabia": ("saudi arabia", "saudi", "riyadh"),
    "United Arab Emirates": ("uae", "emirati", "united arab emirates", "abu dhabi"),
    "Iran": ("iran", "iranian", "tehran"),
    "China": ("china", "chinese", "beijing"),
    "India": ("india", "indian", "new delhi"),
    "Pakistan": ("pakistan", "pakistani", "islamabad"),
    "Afghanistan": ("afghanistan", "afghan", "kabul"),
    "Taliban": ("taliban",),
    "Colombia": ("colombia", "colombian", "bogota", "bogotá"),
    "FARC": ("farc",),
    "ELN": ("eln", "national liberation army"),
    "Sudan": ("sudan", "sudanese", "khartoum", "port sudan"),
    "Sudanese Armed Forces": ("sudanese armed forces", "saf", "sudanese army"),
    "Rapid Support Forces": ("rapid support forces", "rsf"),
    "Ethiopia": ("ethiopia", "ethiopian", "addis ababa"),
    "Tigray People's Liberation Front": ("tplf", "tigray people's liberation front", "tigrayan"),
    "Democratic Republic of the Congo": ("drc", "congo", "congolese", "kinshasa", "democratic republic of the congo"),
    "Rwanda": ("rwanda", "rwandan", "kigali"),
    "M23": ("m23",),
    "Armenia": ("armenia", "armenian", "yerevan"),
    "Azerbaijan": ("azerbaijan", "azerbaijani", "baku"),
    "Serbia": ("serbia", "serbian", "belgrade"),
    "Kosovo": ("kosovo", "kosovar", "kosovan", "pristina"),
    "Yemen": ("yemen", "yemeni", "sanaa", "aden"),
    "Houthis": ("houthi", "houthis", "ansar allah"),
    "Lebanon": ("lebanon", "lebanese", "beirut"),
    "Hezbollah": ("hezbollah",),
    "Syria": ("syria", "syrian", "damascus"),
    "Norway": ("norway", "norwegian", "oslo"),
    "Switzerland": ("switzerland", "swiss", "bern"),
    "Oman": ("oman", "omani", "muscat"),
    "Thailand": ("thailand", "thai", "bangkok"),
    "Cambodia": ("cambodia", "cambodian", "phnom penh"),
    "Philippines": ("philippines", "philippine", "manila"),
    "Moro Islamic Liberation Front": ("milf", "moro islamic liberation front"),
    "Venezuela": ("venezuela", "venezuelan", "caracas"),
    "Cuba": ("cuba", "cuban", "havana"),
    "North Korea": ("north korea", "north korean", "pyongyang"),
    "South Korea": ("south korea", "south korean", "seoul"),
    "Japan": ("japan", "japanese", "tokyo"),
    "Belarus": ("belarus", "belarusian", "minsk"),
    "Georgia": ("tbilisi",),
    "Mozambique": ("mozambique", "maputo"),
    "South Sudan": ("south sudan", "juba"),
    "Libya": ("libya", "libyan", "tripoli"),
    "Iraq": ("iraq", "iraqi", "baghdad"),
    "Jordan": ("jordan", "jordanian", "amman"),
    "Kenya": ("kenya", "kenyan", "nairobi"),
    "South Africa": ("south africa", "south african", "pretoria"),
    "Malaysia": ("malaysia", "malaysian", "kuala lumpur", "putrajaya"),
    "Somalia": ("somalia", "somali", "mogadishu"),
    "Nigeria": ("nigeria", "nigerian", "abuja"),
    "Mali": ("mali", "malian", "bamako"),
    "Myanmar": ("myanmar", "burmese", "naypyidaw"),
    "Indonesia": ("indonesia", "indonesian", "jakarta"),
    "Mexico": ("mexico", "mexican"),
    "Brazil": ("brazil", "brazilian", "brasilia"),
    "Canada": ("canada", "canadian", "ottawa"),
    "Italy": ("italy", "italian", "rome"),
    "Spain": ("spain", "spanish", "madrid"),
    "Poland": ("poland", "polish", "warsaw"),
    "Hungary": ("hungary", "hungarian", "budapest"),
    "Finland": ("finland", "finnish", "helsinki"),
    "Sweden": ("sweden", "swedish", "stockholm"),
    "Austria": ("austria", "austrian", "vienna"),
    "Kazakhstan": ("kazakhstan", "kazakh", "astana"),
    "Algeria": ("algeria", "algerian", "algiers"),
    "Morocco": ("morocco", "moroccan", "rabat"),
    "Tunisia": ("tunisia", "tunisian", "tunis"),
    "Bahrain": ("bahrain", "bahraini", "manama"),
    "Kuwait": ("kuwait", "kuwaiti"),
    "Vatican": ("vatican", "holy see"),
    "Eritrea": ("eritrea", "eritrean", "asmara"),
    "Uganda": ("uganda", "ugandan", "kampala"),
    "Tanzania": ("tanzania", "tanzanian", "dodoma"),
    "Djibouti": ("djibouti", "djiboutian"),
    "Burundi": ("burundi", "burundian", "gitega"),
    "Angola": ("angola", "angolan", "luanda"),
    "Vietnam": ("vietnam", "vietnamese"),
    "Greece": ("greece", "greek", "athens"),
    "Cyprus": ("cyprus", "cypriot", "nicosia"),
    "Netherlands": ("netherlands", "dutch"),
    "Belgium": ("belgium", "belgian"),
    "Denmark": ("denmark", "danish", "copenhagen"),
    "Slovakia": ("slovakia", "slovak", "bratislava"),
    "Lithuania": ("lithuania", "lithuanian", "vilnius"),
    "Uzbekistan": ("uzbekistan", "uzbek", "tashkent"),
    "Nicaragua": ("nicaragua", "nicaraguan", "managua"),
    "Ecuador": ("ecuador", "ecuadorian", "quito"),
    "Peru": ("peru", "peruvian", "lima"),
    "Argentina": ("argentina", "argentine", "buenos aires"),
    "Chile": ("chile", "chilean", "santiago"),
    "Haiti": ("haiti", "haitian", "port-au-prince"),
    "Sri Lanka": ("sri lanka", "sri lankan", "colombo"),
    "Bangladesh": ("bangladesh", "bangladeshi", "dhaka"),
    "Nepal": ("nepal", "nepalese", "kathmandu"),
    "Taiwan": ("taiwan", "taiwanese", "taipei"),
    "Palestinian Islamic Jihad": ("islamic jihad",),
    "Fatah": ("fatah",),
    "PKK": ("pkk", "kurdistan workers' party"),
    "Polisario Front": ("polisario",),
    "IGAD": ("igad", "intergovernmental authority on development"),
    "Arab League": ("arab league",),
    "OSCE": ("osce",),
    "United Nations": ("un", "u.n.", "united nations"),
    "African Union": ("african union", "au"),
    "NATO": ("nato",),
}

# Each party's capital, for "the Qatari capital" (a party's own words above name the party, not the city).
CAPITALS: dict[str, str] = {
    "United States": "Washington",
    "Russia": "Moscow",
    "Ukraine": "Kyiv",
    "United Kingdom": "London",
    "France": "Paris",
    "Germany": "Berlin",
    "Turkey": "Ankara",
    "Qatar": "Doha",
    "Egypt": "Cairo",
    "Israel": "Jerusalem",
    "Saudi Arabia": "Riyadh",
    "United Arab Emirates": "Abu Dhabi",
    "Iran": "Tehran",
    "China": "Beijing",
    "India": "New Delhi",
    "Pakistan": "Islamabad",
    "Afghanistan": "Kabul",
    "Colombia": "Bogota",
    "Sudan": "Khartoum",
    "Ethiopia": "Addis Ababa",
    "Democratic Republic of the Congo": "Kinshasa",
    "Rwanda": "Kigali",
    "Armenia": "Yerevan",
    "Azerbaijan": "Baku",
    "Serbia": "Belgrade",
    "Kosovo": "Pristina",
    "Yemen": "Sanaa",
    "Lebanon": "Beirut",
    "Syria": "Damascus",
    "Norway": "Oslo",
    "Switzerland": "Bern",
    "Oman": "Muscat",
    "Thailand": "Bangkok",
    "Cambodia": "Phnom Penh",
    "Philippines": "Manila",
    "Venezuela": "Caracas",
    "Cuba": "Havana",
    "North Korea": "Pyongyang",
    "South Korea": "Seoul",
    "Japan": "Tokyo",
    "Belarus": "Minsk",
    "Georgia": "Tbilisi",
    "Mozambique": "Maputo",
    "South Sudan": "Juba",
    "Libya": "Tripoli",
    "Iraq": "Baghdad",
    "Jordan": "Amman",
    "Kenya": "Nairobi",
    "South Africa": "Pretoria",
    "Malaysia": "Kuala Lumpur",
    "Somalia": "Mogadishu",
    "Nigeria": "Abuja",
    "Mali": "Bamako",
    "Myanmar": "Naypyidaw",
    "Indonesia": "Jakarta",
    "Mexico": "Mexico City",
    "Brazil": "Brasilia",
    "Canada": "Ottawa",
    "Italy": "Rome",
    "Spain": "Madrid",
    "Poland": "Warsaw",
    "Hungary": "Budapest",
    "Finland": "Helsinki",
    "Sweden": "Stockholm",
    "Austria": "Vienna",
    "Kazakhstan": "Astana",
    "Algeria": "Algiers",
    "Morocco": "Rabat",
    "Tunisia": "Tunis",
    "Bahrain": "Manama",
    "Kuwait": "Kuwait City",
    "Vatican": "Vatican",
    "Eritrea": "Asmara",
    "Uganda": "Kampala",
    "Tanzania": "Dodoma",
    "Djibouti": "Djibouti",
    "Burundi": "Gitega",
    "Angola": "Luanda",
    "Vietnam": "Hanoi",
    "Greece": "Athens",
    "Cyprus": "Nicosia",
    "Netherlands": "Amsterdam",
    "Belgium": "Brussels",
    "Denmark": "Copenhagen",
    "Slovakia": "Bratislava",
    "Lithuania": "Vilnius",
    "Uzbekistan": "Tashkent",
    "Nicaragua": "Managua",
    "Ecuador": "Quito",
    "Peru": "Lima",
    "Argentina": "Buenos Aires",
    "Chile": "Santiago",
    "Haiti": "Port-au-Prince",
    "Sri Lanka": "Colombo",
    "Bangladesh": "Dhaka",
    "Nepal": "Kathmandu",
    "Taiwan": "Taipei",
}

# Cities where talks are held that are not a party's word, by their country ("talks in Switzerland"
# datelined GENEVA were held in Geneva).
CITY_COUNTRY: dict[str, str] = {
    "geneva": "Switzerland",
    "lausanne": "Switzerland",
    "montreux": "Switzerland",
    "davos": "Switzerland",
    "zurich": "Switzerland",
    "istanbul": "Turkey",
    "antalya": "Turkey",
    "jeddah": "Saudi Arabia",
    "dubai": "United Arab Emirates",
    "sharm el-sheikh": "Egypt",
    "sharm el sheikh": "Egypt",
    "munich": "Germany",
    "sochi": "Russia",
    "st petersburg": "Russia",
    "st. petersburg": "Russia",
    "saint petersburg": "Russia",
    "anchorage": "United States",
    "new york": "United States",
    "miami": "United States",
    "palm beach": "United States",
    "camp david": "United States",
    "dayton": "United States",
    "goma": "Democratic Republic of the Congo",
    "benghazi": "Libya",
    "tel aviv": "Israel",
    "cartagena": "Colombia",
    "lviv": "Ukraine",
    "odesa": "Ukraine",
    "mekelle": "Ethiopia",
    "aden": "Yemen",
    "hodeidah": "Yemen",
    "port sudan": "Sudan",
    "kuala lumpur": "Malaysia",
    "putrajaya": "Malaysia",
    "panmunjom": "South Korea",
    "hanoi": "Vietnam",
    "singapore": "Singapore",
}

# Places where talks are often held or travellers go (capitals of parties are their words above too).
_PLACE_LINES = """geneva|istanbul|jeddah|dubai|florida|miami|palm beach|mar-a-lago|alaska|anchorage|camp david|
dayton|new york|sharm el-sheikh|sharm el sheikh|antalya|lausanne|montreux|davos|munich|paris|vienna|oslo|havana|
doha|cairo|riyadh|abu dhabi|muscat|amman|baku|yerevan|minsk|astana|tashkent|helsinki|stockholm|rome|madrid|london|
berlin|brussels|washington|moscow|kyiv|kiev|beijing|tehran|ankara|warsaw|budapest|bern|zurich|addis ababa|
nairobi|pretoria|kigali|kinshasa|goma|juba|khartoum|port sudan|tripoli|benghazi|beirut|damascus|baghdad|gaza|
rafah|the hague|bangkok|kuala lumpur|manila|jakarta|singapore|seoul|pyongyang|tokyo|hanoi|panmunjom|caracas|
bogota|bogotá|mexico city|barbados|brasilia|ottawa|bratislava|vilnius|riga|tallinn|belgrade|pristina|sochi|
st petersburg|st. petersburg|saint petersburg|tbilisi|ramallah|jerusalem|tel aviv|luanda|dar es salaam|
kampala|addis|lome|lomé|dakar|abuja|algiers|rabat|tunis|manama|kuwait city|islamabad|new delhi|kabul|
asmara|djibouti|gitega|athens|nicosia|copenhagen|managua|quito|lima|buenos aires|santiago|colombo|dhaka|
kathmandu|taipei|mekelle|shusha|kuala lumpur|montevideo|oslo|
vatican|white house|kremlin|elysee|élysée|state department|downing street|putrajaya|kuala lumpur"""
PLACES = frozenset(p.strip() for p in _PLACE_LINES.replace("\n", "").split("|") if p.strip()) | frozenset(
    city.lower() for city in CAPITALS.values()
)  # every capital is a place talks may be held in

# Words before a name that say who the person is (lower case; a title may be several words).
TITLES = frozenset(
    """president|vice president|prime minister|foreign minister|defence minister|defense minister|
minister|secretary of state|secretary|state secretary|envoy|special envoy|spokesman|spokeswoman|spokesperson|
negotiator|chief negotiator|adviser|advisor|national security adviser|general|gen.|lt. gen.|lieutenant general|
commander|chief|chairman|chairwoman|chair|leader|king|queen|emir|sheikh|crown prince|prince|chancellor|
ambassador|senator|sen.|rep.|congressman|mr|mr.|mrs|mrs.|ms|ms.|dr|dr.|mediator|premier|pope|cardinal|
official|aide|deputy|head|director|colonel|col.|marshal|field marshal|governor|mayor|speaker|son-in-law|
counterpart|representative|delegate|diplomat|secretary-general|secretary general|coordinator|presidential envoy|
presidential special envoy|army chief|intelligence chief|security chief|mp|lawmaker|legislator|attorney|
businessman|billionaire""".replace("\n", "").split("|")
)

# Titles that name their country without a party word ("Secretary of State Marco Rubio" is American).
TITLE_PARTIES = {"secretary of state": "United States", "national security adviser": "United States", "pope": "Vatican"}

# Capitalised words that begin or form no person's name.
NOT_NAMES = frozenset(
    """the a an and but or after before earlier later on in at by for of from with without
to as it he she they we i this that these those there here his her their its our when while since during until
according however meanwhile also still former acting outgoing incoming late yet then thus so if although though despite both either neither
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december jan feb mar apr jun jul aug sep sept oct nov dec
white house state department kremlin pentagon foreign ministry ministry office council union nations
security general assembly peace plan talks round delegation government army forces front party movement
parliament congress senate court committee commission agency times post journal news press reuters axios
associated france-presse afp bbc cnn forbes bloomberg politico guardian telegraph tass interfax ria
kyiv independent al jazeera wall street times street sources officials diplomats spokesman spokeswoman
minister president secretary envoy special foreign defence defense national adviser prime leader chief
presidents ministers leaders envoys officials negotiators mediators foreign-ministers
the-""".split()
)

# Words that make a run of capitalised words an organisation or an outlet, not a person.
ORGANISATION_WORDS = frozenset(
    """house department ministry office council union nations assembly agency
times post journal news press party front forces army movement government court committee commission
bank fund organization organisation alliance republic kingdom states emirates strip sea gulf street
authority federation brigades guard navy command service services institute university foundation
group network agency council cabinet parliament congress senate palace hotel base theater theatre
residence hall centre center airport mission embassy summit camp resort peninsula island islands region
province river lake bay coast valley mountains""".split()
)

# Venues that stand for their city when a meeting is named after where it was held.
VENUES = {
    "kremlin": "Moscow",
    "white house": "Washington",
    "state department": "Washington",
    "pentagon": "Washington",
    "elysee": "Paris",
    "élysée": "Paris",
    "downing street": "London",
    "mar-a-lago": "Palm Beach",
    "camp david": "Camp David",
}
