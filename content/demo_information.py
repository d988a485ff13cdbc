"""The footer's pages as the demo site ships them; editors change them in the admin afterwards."""

CONTACT = """\
Samspil drives af Samspil-sekretariatet i samarbejde med regionens praksiskonsulentordning (KAP)
og sygehusenes afdelinger.

## Skriv eller ring

- E-mail: kontakt@samspil.invalid
- Telefon: 70 00 00 00, hverdage kl. 9-15

## Om en patient

Skriv aldrig om en patient til denne adresse. Brug korrespondancen eller en konference i Samspil,
hvor kun de involverede læser med, og hvor hvert opslag logges.

## Fejl i en retningslinje

Hver retningslinje har en ejer og en revisionsdato. Skriv til os med sidens titel, så sender vi
det videre til ejeren.
"""

PRIVACY = """\
## Sådan behandler Samspil patientdata

Samspil behandler patientoplysninger, når læger i almen praksis og på sygehus samarbejder om en
patients behandling. Formålet er behandling, intet andet.

- **Kun de involverede ser data.** En tråd, en konference eller en henvisning kan kun læses af de
  læger og sekretærer, der er part i den. Administratorer kan ikke læse dem.
- **Hvert opslag logges.** Hver gang nogen læser eller ændrer oplysninger om en patient, skrives
  det i en adgangslog, som ikke kan ændres. Loggen gemmes i fem år.
- **CPR-numre er krypteret** i databasen, vises maskeret (fx 010203-XXXX) og står aldrig i
  adresser, e-mails, logfiler eller søgeindekset.
- **E-mails indeholder aldrig patientdata**, kun et link, der kræver login med to faktorer.
- **Det fælles patientoverblik** i en konference findes kun, mens konferencen er åben. Når den
  lukkes, slettes oplysningerne.

## Dine rettigheder

Som patient kan du få indsigt i, hvem der har set dine oplysninger i Samspil. Kontakt
sekretariatet (se Kontakt), så udtrækker vi adgangsloggen for dig.

Dataansvarlig: regionen. Databeskyttelsesrådgiveren kontaktes gennem regionens hovedpostkasse.
"""

COOKIES = """\
## Cookies på Samspil

Samspil bruger kun de cookies, der er nødvendige, for at siden virker. Vi bruger ingen cookies til
statistik, markedsføring eller sporing, og derfor spørger vi ikke om samtykke.

| Cookie | Formål | Varighed |
|---|---|---|
| sessionid | Holder dig logget ind | Til du logger ud, højst 10 timer |
| csrftoken | Beskytter formularer mod forfalskede indsendelser | 1 år |
| django_language | Husker, om du har valgt dansk eller engelsk | Til browseren lukkes |
"""

ACCESSIBILITY = """\
## Tilgængelighedserklæring

Samspil skal kunne bruges af alle. Vi arbejder efter standarden WCAG 2.1 på niveau AA, som
lov om tilgængelighed af offentlige organers websteder og mobilapplikationer kræver.

## Hvordan vi tester

Hver side testes automatisk med værktøjet axe i en rigtig browser, både på computerskærm og
mobil, og vi tjekker tastaturbetjening og skærmlæser på de vigtigste forløb.

## Kendte mangler

- Nogle ældre auditskemaer er regneark, som ikke altid er tilgængelige med skærmlæser.
  Kontakt os, så sender vi indholdet i en anden form.

## Feedback og kontakt

Oplever du problemer med tilgængeligheden, så skriv til kontakt@samspil.invalid.
Du kan også klage til Digitaliseringsstyrelsen, som fører tilsyn med tilgængelighed.

Erklæringen er senest gennemgået 1. december 2026.
"""

PAGES = [
    ("kontakt", "Kontakt", CONTACT),
    ("privatliv", "Privatliv og patientdata", PRIVACY),
    ("cookies", "Cookies", COOKIES),
    ("tilgaengelighed", "Tilgængelighedserklæring", ACCESSIBILITY),
]
