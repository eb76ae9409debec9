"""ISO 3166-1 alpha-2 codes, as FollowTheMoney clients send countries, to the country names
the lists write (OFAC's spelling), so a yente query's `nationality: ["ru"]` meets `Russia`."""

from __future__ import annotations

_TABLE = """
AF Afghanistan|AL Albania|DZ Algeria|AO Angola|AR Argentina|AM Armenia|AW Aruba|AU Australia|
AT Austria|AZ Azerbaijan|BS Bahamas, The|BH Bahrain|BD Bangladesh|BB Barbados|BY Belarus|
BE Belgium|BZ Belize|BJ Benin|BM Bermuda|BO Bolivia|BA Bosnia and Herzegovina|BR Brazil|
BN Brunei|BG Bulgaria|BF Burkina Faso|MM Burma|CV Cabo Verde|KH Cambodia|CM Cameroon|CA Canada|
KY Cayman Islands|CF Central African Republic|TD Chad|CL Chile|CN China|CO Colombia|KM Comoros|
CD Congo, Democratic Republic of the|CG Congo, Republic of the|CR Costa Rica|CI Cote d Ivoire|
HR Croatia|CU Cuba|CY Cyprus|CZ Czech Republic|DK Denmark|DJ Djibouti|DM Dominica|
DO Dominican Republic|EC Ecuador|EG Egypt|SV El Salvador|GQ Equatorial Guinea|ER Eritrea|
EE Estonia|ET Ethiopia|FI Finland|FR France|GE Georgia|DE Germany|GH Ghana|GI Gibraltar|
GR Greece|GT Guatemala|GN Guinea|GW Guinea-Bissau|GY Guyana|HT Haiti|HN Honduras|HK Hong Kong|
HU Hungary|IN India|ID Indonesia|IR Iran|IQ Iraq|IE Ireland|IL Israel|IT Italy|JM Jamaica|
JP Japan|JE Jersey|JO Jordan|KZ Kazakhstan|KE Kenya|KP Korea, North|KR Korea, South|XK Kosovo|
KW Kuwait|KG Kyrgyzstan|LA Laos|LV Latvia|LB Lebanon|LR Liberia|LY Libya|LI Liechtenstein|
LT Lithuania|LU Luxembourg|MO Macau|MY Malaysia|MV Maldives|ML Mali|MT Malta|IM Man, Isle of|
MH Marshall Islands|MR Mauritania|MX Mexico|MD Moldova|MC Monaco|MN Mongolia|ME Montenegro|
MA Morocco|MZ Mozambique|NA Namibia|NL Netherlands|AN Netherlands Antilles|NZ New Zealand|
NI Nicaragua|NE Niger|NG Nigeria|MK North Macedonia, The Republic of|NO Norway|OM Oman|
PK Pakistan|PW Palau|PS Palestinian|PA Panama|PY Paraguay|PE Peru|PH Philippines|PL Poland|
PT Portugal|QA Qatar|RO Romania|RU Russia|RW Rwanda|KN Saint Kitts and Nevis|
VC Saint Vincent and the Grenadines|WS Samoa|SM San Marino|SA Saudi Arabia|SN Senegal|
RS Serbia|SC Seychelles|SL Sierra Leone|SG Singapore|SK Slovakia|SI Slovenia|SO Somalia|
ZA South Africa|SS South Sudan|ES Spain|LK Sri Lanka|SD Sudan|SE Sweden|CH Switzerland|
SY Syria|TW Taiwan|TJ Tajikistan|TZ Tanzania|TH Thailand|GM The Gambia|TT Trinidad and Tobago|
TN Tunisia|TR Turkey|TM Turkmenistan|UG Uganda|UA Ukraine|AE United Arab Emirates|
GB United Kingdom|US United States|UY Uruguay|UZ Uzbekistan|VU Vanuatu|VE Venezuela|VN Vietnam|
VG Virgin Islands, British|YE Yemen|ZM Zambia|ZW Zimbabwe|SU Soviet Union|YU Yugoslavia
"""
COUNTRY_NAMES: dict[str, str] = {
    entry.strip()[:2].lower(): entry.strip()[3:]
    for entry in _TABLE.replace("\n", "").split("|")
    if entry.strip()
}


def country_name(value: str) -> str | None:
    """A country as the lists write it: a known ISO code translated; any longer text kept as
    given; an unknown two-letter code dropped (None), rather than counted as a mismatch."""
    text = value.strip()
    if len(text) == 2:
        return COUNTRY_NAMES.get(text.lower())
    return text or None
