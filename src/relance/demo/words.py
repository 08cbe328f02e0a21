"""Word lists the demo builds names, addresses and jobs from, one set per country.

Cities and postal codes are real so that addresses look right on a letter; company and
street names are assembled from these parts and belong to no one.
"""

# fmt: off
FR_FIRST_NAMES = [
    "Camille", "Claire", "Julie", "Sophie", "Nathalie", "Isabelle", "Sandrine", "Céline",
    "Émilie", "Aurélie", "Manon", "Léa", "Chloé", "Inès", "Sarah", "Marion", "Hélène",
    "Valérie", "Anne", "Laure", "Thomas", "Nicolas", "Julien", "Pierre", "Antoine",
    "Maxime", "Alexandre", "Sébastien", "Laurent", "Olivier", "Stéphane", "Christophe",
    "François", "Mathieu", "Guillaume", "Hugo", "Lucas", "Louis", "Jérôme", "Philippe",
]
FR_LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
    "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
    "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre",
    "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier",
    "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
    "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis",
    "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer",
    "Lucas", "Meunier", "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie",
    "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez",
]
# (trade, words that follow it: a surname, "du"/"de la" + place, or a made-up brand)
FR_TRADES = [
    "Transports", "Menuiserie", "Boulangerie", "Imprimerie", "Garage", "Pharmacie",
    "Laboratoires", "Ateliers", "Établissements", "Maison", "Brasserie", "Fonderie",
    "Métallerie", "Plomberie", "Électricité", "Charpente", "Cartonnerie", "Distillerie",
    "Fromagerie", "Salaisons", "Vignobles", "Chocolaterie", "Cabinet", "Clinique",
]
FR_BRAND_PARTS = [
    "Alpha", "Nova", "Orbi", "Tech", "Sud", "Nord", "Ouest", "Est", "Inno", "Axe", "Pro",
    "Logi", "Méca", "Agri", "Bati", "Électro", "Hydro", "Thermo", "Data", "Soft", "Net",
    "Ciel", "Terra", "Véra", "Opti", "Prima", "Sigma", "Delta", "Kappa", "Vita",
]
FR_BRAND_ENDINGS = [
    "tec", "systèmes", "services", "industrie", "conseil", "logistique", "distribution",
    "bat", "com", "plast", "med", "pack", "énergie", "solutions", "métal", "concept",
]
FR_LEGAL_FORMS = ["SAS", "SARL", "SA", "EURL", "SAS", "SARL", "SASU"]
FR_RETAIL = [
    "Boutique", "Épicerie fine", "Cave", "Librairie", "Fleurs", "Optique", "Quincaillerie",
    "Bricolage", "Jardinerie", "Supermarché", "Droguerie", "Parfumerie",
]
FR_PUBLIC = [
    "Mairie {of_city}", "Centre hospitalier {of_city}", "Communauté d'agglomération {of_city}",
    "Lycée professionnel {of_city}", "Office de tourisme {of_city}", "CCAS {of_city}",
    "Syndicat des eaux {of_city}", "Université {of_city}",
]
FR_STREET_TYPES = ["rue", "avenue", "boulevard", "place", "allée", "chemin", "impasse", "quai"]
FR_STREET_NAMES = [
    "Victor Hugo", "de la République", "Jean Jaurès", "Pasteur", "du Général de Gaulle",
    "de la Gare", "des Lilas", "du Moulin", "Voltaire", "de Verdun", "Gambetta",
    "des Écoles", "du Commerce", "Émile Zola", "de l'Église", "Carnot", "de la Liberté",
    "des Acacias", "du Port", "Jules Ferry", "de la Paix", "des Tilleuls", "Saint-Martin",
    "de Strasbourg", "du Château", "Lafayette", "des Vignes", "de Bretagne",
]
# (postal code, city)
FR_CITIES = [
    ("75002", "Paris"), ("75011", "Paris"), ("75015", "Paris"), ("69003", "Lyon"),
    ("69007", "Lyon"), ("13008", "Marseille"), ("31000", "Toulouse"), ("06000", "Nice"),
    ("44000", "Nantes"), ("67000", "Strasbourg"), ("34000", "Montpellier"),
    ("33000", "Bordeaux"), ("59000", "Lille"), ("35000", "Rennes"), ("51100", "Reims"),
    ("76600", "Le Havre"), ("42000", "Saint-Étienne"), ("83000", "Toulon"),
    ("38000", "Grenoble"), ("21000", "Dijon"), ("49000", "Angers"), ("30000", "Nîmes"),
    ("63000", "Clermont-Ferrand"), ("72000", "Le Mans"), ("29200", "Brest"),
    ("37000", "Tours"), ("80000", "Amiens"), ("87000", "Limoges"), ("74000", "Annecy"),
    ("66000", "Perpignan"), ("57000", "Metz"), ("25000", "Besançon"), ("45000", "Orléans"),
    ("68100", "Mulhouse"), ("14000", "Caen"), ("54000", "Nancy"), ("92100", "Boulogne-Billancourt"),
    ("93200", "Saint-Denis"), ("94300", "Vincennes"), ("64000", "Pau"), ("17000", "La Rochelle"),
]
FR_JOB_TITLES = {
    "collection": [
        "Comptable fournisseurs", "Responsable comptabilité fournisseurs", "Assistante comptable",
        "Chargé de comptabilité", "Gestionnaire comptable",
    ],
    "billing": ["Responsable administratif", "Assistante de direction", "Office manager"],
    "legal": ["Directeur administratif et financier", "Gérant", "Directrice financière"],
    "other": ["Responsable achats", "Acheteur", "Directeur commercial", "Chef de projet"],
}

GB_FIRST_NAMES = [
    "Oliver", "George", "Harry", "Jack", "James", "William", "Thomas", "Daniel", "Samuel",
    "Joseph", "David", "Michael", "Richard", "Andrew", "Peter", "Mark", "Paul", "Simon",
    "Amelia", "Olivia", "Emily", "Isla", "Jessica", "Sophie", "Charlotte", "Grace", "Lucy",
    "Hannah", "Sarah", "Emma", "Rachel", "Helen", "Claire", "Laura", "Rebecca", "Victoria",
]
GB_LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
    "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis", "James", "Phillips",
    "Mason", "Mitchell", "Rose", "Davis", "Rodriguez", "Cox", "Alexander", "Morgan",
    "Moore", "Harris", "Turner", "Cooper", "Ward", "Morris", "King", "Baker", "Hughes",
    "Edwards", "Hill", "Harrison", "Lee", "Bennett", "Shaw", "Palmer", "Fletcher",
]
GB_TRADES = [
    "Engineering", "Logistics", "Construction", "Joinery", "Printing", "Haulage",
    "Plumbing", "Electrical", "Foods", "Brewing", "Packaging", "Plastics", "Textiles",
    "Software", "Consulting", "Fabrication", "Interiors", "Landscapes", "Motors", "Dairies",
]
GB_BRAND_PARTS = [
    "Albion", "Crown", "Thames", "Pennine", "Cotswold", "Northern", "Summit", "Phoenix",
    "Vertex", "Harbour", "Oak", "Sterling", "Meridian", "Kestrel", "Granite", "Beacon",
    "Lakeland", "Severn", "Orchard", "Redbrick", "Highland", "Union", "Riverside", "Apex",
]
GB_LEGAL_FORMS = ["Ltd", "Ltd", "Ltd", "Limited", "plc", "LLP"]
GB_RETAIL = [
    "Bakery", "Butchers", "Florist", "Bookshop", "Hardware", "Opticians", "Garden Centre",
    "Deli", "Off Licence", "Pharmacy", "Outfitters", "Cycles",
]
GB_PUBLIC = [
    "{city} City Council", "{city} Borough Council", "{city} NHS Foundation Trust",
    "University of {city}", "{city} College", "{city} Housing Association",
    "{city} Fire and Rescue Service",
]
GB_STREET_TYPES = ["Street", "Road", "Lane", "Avenue", "Close", "Way", "Drive", "Crescent"]
GB_STREET_NAMES = [
    "High", "Station", "Church", "Victoria", "Park", "Mill", "Queen's", "King's", "Market",
    "London", "Manor", "Chapel", "Bridge", "North", "Grange", "Windsor", "York", "Albert",
    "Springfield", "Elm", "Alexandra", "Priory", "Castle", "Chestnut", "Meadow",
]
# (postcode district, city): the inward code is generated
GB_CITIES = [
    ("EC1V", "London"), ("SE1", "London"), ("W1D", "London"), ("N1", "London"),
    ("M1", "Manchester"), ("M4", "Manchester"), ("B1", "Birmingham"), ("B15", "Birmingham"),
    ("LS1", "Leeds"), ("L1", "Liverpool"), ("S1", "Sheffield"), ("BS1", "Bristol"),
    ("NE1", "Newcastle upon Tyne"), ("NG1", "Nottingham"), ("LE1", "Leicester"),
    ("CV1", "Coventry"), ("G1", "Glasgow"), ("EH1", "Edinburgh"), ("CF10", "Cardiff"),
    ("BT1", "Belfast"), ("OX1", "Oxford"), ("CB2", "Cambridge"), ("YO1", "York"),
    ("BN1", "Brighton"), ("SO14", "Southampton"), ("PL1", "Plymouth"), ("RG1", "Reading"),
    ("MK9", "Milton Keynes"), ("AB10", "Aberdeen"), ("EX1", "Exeter"), ("NR1", "Norwich"),
]
GB_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a UK inward code may use
GB_JOB_TITLES = {
    "collection": [
        "Accounts Payable Clerk", "Accounts Payable Manager", "Purchase Ledger Clerk",
        "Finance Assistant", "Credit Controller",
    ],
    "billing": ["Office Manager", "Finance Administrator", "Operations Manager"],
    "legal": ["Finance Director", "Managing Director", "Company Secretary"],
    "other": ["Procurement Manager", "Buyer", "Head of Operations", "Project Manager"],
}

DISPUTE_REASONS = {
    "fr": [
        "Marchandise non reçue", "Quantité livrée inférieure à la commande",
        "Prix différent du devis", "Produit défectueux", "Facture en double",
        "Bon de commande manquant", "Livraison en retard, pénalités demandées",
        "Prestation contestée",
    ],
    "en": [
        "Goods not received", "Short delivery", "Price differs from quote", "Damaged goods",
        "Duplicate invoice", "Purchase order number missing", "Service not performed",
        "Awaiting credit note for returned goods",
    ],
}
HOLD_REASONS = {
    "fr": [
        "Procédure de redressement judiciaire", "Plan d'apurement en négociation",
        "Litige commercial en cours", "Changement de propriétaire",
    ],
    "en": [
        "Company in administration", "Payment plan being negotiated",
        "Commercial dispute under review", "Change of ownership",
    ],
}
SALES_REGIONS = ["North", "South", "East", "West", "Capital", "Export"]
# fmt: on
