package bigcommerce

import "strings"

// countryCodes turn the country names of the Default export (BigCommerce
// writes full names) into ISO 3166 alpha-2 codes. The list covers where a
// US music store ships, with the other spellings the names are known by;
// a name not here holds the order rather than reaching AIM as free text.
var countryCodes = map[string]string{
	"united states": "US", "united states of america": "US", "usa": "US", "u.s.a.": "US",
	"puerto rico": "PR", "guam": "GU", "virgin islands, u.s.": "VI", "u.s. virgin islands": "VI", "us virgin islands": "VI",
	"american samoa": "AS", "northern mariana islands": "MP",
	"canada": "CA", "mexico": "MX",
	"united kingdom": "GB", "great britain": "GB", "ireland": "IE",
	"australia": "AU", "new zealand": "NZ",
	"germany": "DE", "france": "FR", "netherlands": "NL", "the netherlands": "NL", "belgium": "BE", "luxembourg": "LU",
	"spain": "ES", "portugal": "PT", "italy": "IT", "switzerland": "CH", "austria": "AT",
	"sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "iceland": "IS",
	"poland": "PL", "czech republic": "CZ", "czechia": "CZ", "greece": "GR", "hungary": "HU",
	"israel": "IL", "united arab emirates": "AE", "south africa": "ZA",
	"japan": "JP", "south korea": "KR", "korea, republic of": "KR", "china": "CN", "hong kong": "HK",
	"taiwan": "TW", "singapore": "SG", "philippines": "PH", "india": "IN", "malaysia": "MY", "thailand": "TH",
	"brazil": "BR", "argentina": "AR", "chile": "CL", "colombia": "CO", "peru": "PE", "costa rica": "CR",
	"panama": "PA", "guatemala": "GT", "el salvador": "SV", "dominican republic": "DO", "jamaica": "JM",
	"bahamas": "BS", "bermuda": "BM", "barbados": "BB", "trinidad and tobago": "TT", "cayman islands": "KY",
}

// knownCodes are the codes of the table, which are taken as they are.
var knownCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range countryCodes {
		m[c] = true
	}
	return m
}()

// countryCode is the alpha-2 code of a country name of the table, or of a
// code of the table written as such ("US", "us").
func countryCode(name string) (string, bool) {
	key := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if c, ok := countryCodes[key]; ok {
		return c, true
	}
	if up := strings.ToUpper(key); knownCodes[up] {
		return up, true
	}
	return "", false
}

// BigCommerce writes states and provinces by name; AIM and the other
// stores' exports use the postal codes. Names not listed pass unchanged.
var regionCodes = map[string]map[string]string{
	"US": {
		"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
		"connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
		"hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
		"kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
		"michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
		"nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
		"new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
		"oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
		"tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
		"west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR",
		"armed forces americas": "AA", "armed forces europe": "AE", "armed forces pacific": "AP",
	},
	"CA": {
		"alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
		"newfoundland and labrador": "NL", "nova scotia": "NS", "northwest territories": "NT", "nunavut": "NU",
		"ontario": "ON", "prince edward island": "PE", "quebec": "QC", "québec": "QC", "saskatchewan": "SK", "yukon": "YT",
	},
}

// regionCode gives the postal code of a US state or Canadian province
// written by name, or the name unchanged.
func regionCode(country, name string) string {
	if code, ok := regionCodes[country][strings.ToLower(strings.Join(strings.Fields(name), " "))]; ok {
		return code
	}
	return name
}
