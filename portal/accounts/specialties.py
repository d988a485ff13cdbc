"""The Danish medical specialties (Sundhedsstyrelsen's list), as seed data.

Read once by the data migration ``0002_specialties``; afterwards the database
is the one home of the list. ``focused_stay`` follows the memo's twelve
specialties for focused stays, the internal-medicine ones counted as one.
"""

INTERNAL_MEDICINE = "Intern medicin"

# (slug, Danish name, group, offers focused stays)
SPECIALTIES = [
    ("akutmedicin", "Akutmedicin", "", True),
    ("almen-medicin", "Almen medicin", "", False),
    ("anaestesiologi", "Anæstesiologi", "", False),
    ("arbejdsmedicin", "Arbejdsmedicin", "", False),
    ("boerne-og-ungdomspsykiatri", "Børne- og ungdomspsykiatri", "", True),
    ("dermato-venerologi", "Dermato-venerologi", "", True),
    ("diagnostisk-radiologi", "Diagnostisk radiologi", "", False),
    ("endokrinologi", "Intern medicin: endokrinologi", INTERNAL_MEDICINE, True),
    (
        "gastroenterologi-og-hepatologi",
        "Intern medicin: gastroenterologi og hepatologi",
        INTERNAL_MEDICINE,
        True,
    ),
    ("geriatri", "Intern medicin: geriatri", INTERNAL_MEDICINE, True),
    ("haematologi", "Intern medicin: hæmatologi", INTERNAL_MEDICINE, True),
    ("infektionsmedicin", "Intern medicin: infektionsmedicin", INTERNAL_MEDICINE, True),
    ("kardiologi", "Intern medicin: kardiologi", INTERNAL_MEDICINE, True),
    ("lungesygdomme", "Intern medicin: lungesygdomme", INTERNAL_MEDICINE, True),
    ("nefrologi", "Intern medicin: nefrologi", INTERNAL_MEDICINE, True),
    ("reumatologi", "Intern medicin: reumatologi", INTERNAL_MEDICINE, True),
    ("gynaekologi-og-obstetrik", "Gynækologi og obstetrik", "", True),
    ("karkirurgi", "Karkirurgi", "", False),
    ("kirurgi", "Kirurgi", "", True),
    ("klinisk-biokemi", "Klinisk biokemi", "", False),
    ("klinisk-farmakologi", "Klinisk farmakologi", "", False),
    ("klinisk-fysiologi-og-nuklearmedicin", "Klinisk fysiologi og nuklearmedicin", "", False),
    ("klinisk-genetik", "Klinisk genetik", "", False),
    ("klinisk-immunologi", "Klinisk immunologi", "", False),
    ("klinisk-mikrobiologi", "Klinisk mikrobiologi", "", False),
    ("klinisk-onkologi", "Klinisk onkologi", "", False),
    ("neurokirurgi", "Neurokirurgi", "", False),
    ("neurologi", "Neurologi", "", True),
    ("oftalmologi", "Oftalmologi", "", False),
    ("ortopaedisk-kirurgi", "Ortopædisk kirurgi", "", True),
    ("oto-rhino-laryngologi", "Oto-rhino-laryngologi", "", True),
    ("patologisk-anatomi-og-cytologi", "Patologisk anatomi og cytologi", "", False),
    ("plastikkirurgi", "Plastikkirurgi", "", False),
    ("psykiatri", "Psykiatri", "", True),
    ("paediatri", "Pædiatri", "", True),
    ("retsmedicin", "Retsmedicin", "", False),
    ("samfundsmedicin", "Samfundsmedicin", "", False),
    ("thoraxkirurgi", "Thoraxkirurgi", "", False),
    ("urologi", "Urologi", "", True),
]
