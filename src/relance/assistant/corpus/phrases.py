# ruff: noqa: E501 (phrase banks: one sentence a line reads best)
"""Phrase banks of the labelled corpus: families of answers a customer writes to a reminder,
each in French, English, German and Spanish. A family is one way of saying one thing (its
phrasings are near-copies of each other); the held-out split takes whole families, so the
evaluation never sees a paraphrase of a training message.

Slots: {inv} and {inv2} invoice numbers, {invs} both, {date} a date expression (the gold
date), {amount} an amount, {email}, {name}, {phone}, {q1} < {q2} quantities.
Each family: (group, intent, dispute_reason, document, date_kind, phrasings by language),
where group is the unit of the split (families of a group share intent and category) and
date_kind says whether {date} is a future date, a past one, or absent.
"""

FUTURE, PAST, NONE = "future", "past", ""

FAMILIES = [
    # --- promise ----------------------------------------------------------------------
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Nous réglerons la facture {inv} {date}.",
                "Le paiement de {invs} partira {date}, promis.",
                "Je vous confirme un virement {date} pour la facture {inv}.",
            ],
            "en": [
                "We will pay invoice {inv} {date}.",
                "Payment for {invs} will be made {date}.",
                "I can confirm a transfer {date} for invoice {inv}.",
            ],
            "de": [
                "Wir werden die Rechnung {inv} {date} bezahlen.",
                "Die Zahlung für {invs} erfolgt {date}.",
                "Ich bestätige Ihnen eine Überweisung {date} für die Rechnung {inv}.",
            ],
            "es": [
                "Pagaremos la factura {inv} {date}.",
                "El pago de {invs} se realizará {date}.",
                "Le confirmo una transferencia {date} para la factura {inv}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Désolé pour le retard, notre trésorerie est tendue ce mois-ci. On peut vous payer {date}, ça vous va ?",
                "Petit souci de trésorerie de notre côté, le règlement de {inv} se fera {date}.",
            ],
            "en": [
                "Sorry for the delay, cash is tight this month. We can pay you {date}, is that ok?",
                "Bit of a cash flow issue on our side, {inv} will be settled {date}.",
            ],
            "de": [
                "Entschuldigung für die Verzögerung, unsere Liquidität ist diesen Monat knapp. Wir können {date} zahlen, passt das?",
                "Kleiner Liquiditätsengpass bei uns, {inv} wird {date} beglichen.",
            ],
            "es": [
                "Perdón por el retraso, este mes vamos justos de tesorería. Podemos pagarles {date}, ¿les parece bien?",
                "Tenemos un pequeño problema de liquidez, la factura {inv} se pagará {date}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "La facture {inv} est en attente de validation interne par notre direction financière. Dès qu'elle est approuvée nous payons, au plus tard {date}.",
                "Nous paierons une fois la validation interne obtenue, normalement {date}.",
            ],
            "en": [
                "Invoice {inv} is waiting for internal approval by our finance director. Once it is approved we will pay, {date} at the latest.",
                "We will pay once we get internal sign-off, normally {date}.",
            ],
            "de": [
                "Die Rechnung {inv} wartet noch auf die interne Freigabe durch unsere Finanzleitung. Sobald sie freigegeben ist, zahlen wir, spätestens {date}.",
                "Wir zahlen, sobald die interne Genehmigung vorliegt, voraussichtlich {date}.",
            ],
            "es": [
                "La factura {inv} está pendiente de aprobación interna por dirección financiera. En cuanto se apruebe pagaremos, como tarde {date}.",
                "Pagaremos una vez tengamos la aprobación interna, normalmente {date}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Les factures {invs} sont dans notre prochain lot de paiements, prévu {date}.",
                "Votre facture {inv} sera incluse dans notre campagne de règlement {date}.",
            ],
            "en": [
                "Invoices {invs} are in our next payment run, scheduled {date}.",
                "Your invoice {inv} will be included in the payment run {date}.",
            ],
            "de": [
                "Die Rechnungen {invs} sind in unserem nächsten Zahlungslauf, geplant {date}.",
                "Ihre Rechnung {inv} ist im Zahlungslauf {date} enthalten.",
            ],
            "es": [
                "Las facturas {invs} están en nuestra próxima remesa de pagos, prevista {date}.",
                "Su factura {inv} irá en la remesa de pagos {date}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Nous proposons de régler {inv} en deux fois : une première moitié {date}, le solde le mois suivant.",
                "Pouvons-nous payer {amount} {date} et le reste ensuite ?",
            ],
            "en": [
                "We suggest paying {inv} in two instalments: half {date}, the balance the month after.",
                "Could we pay {amount} {date} and the rest afterwards?",
            ],
            "de": [
                "Wir schlagen vor, {inv} in zwei Raten zu zahlen: die Hälfte {date}, den Rest im Folgemonat.",
                "Können wir {amount} {date} zahlen und den Rest danach?",
            ],
            "es": [
                "Proponemos pagar {inv} en dos plazos: la mitad {date} y el resto el mes siguiente.",
                "¿Podemos pagar {amount} {date} y el resto después?",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "ok pour nous, virement de {amount} {date}",
                "C'est noté, le chèque pour {inv} part {date}.",
            ],
            "en": [
                "ok, transfer of {amount} {date}",
                "Noted, the cheque for {inv} goes out {date}.",
            ],
            "de": [
                "ok, Überweisung von {amount} {date}",
                "Notiert, der Scheck für {inv} geht {date} raus.",
            ],
            "es": [
                "ok, transferencia de {amount} {date}",
                "Anotado, el cheque de la factura {inv} sale {date}.",
            ],
        },
    ),
    # --- dispute: price ----------------------------------------------------------------
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Le prix unitaire facturé sur {inv} ne correspond pas à notre devis, nous avions négocié une remise de 10 %.",
                "Il y a une erreur de tarif sur la facture {inv} : le prix convenu était plus bas.",
            ],
            "en": [
                "The unit price on {inv} does not match our quote, we negotiated a 10% discount.",
                "There is a pricing error on invoice {inv}: the agreed price was lower.",
            ],
            "de": [
                "Der berechnete Stückpreis auf {inv} entspricht nicht unserem Angebot, wir hatten 10 % Rabatt vereinbart.",
                "Auf der Rechnung {inv} ist ein Preisfehler: der vereinbarte Preis war niedriger.",
            ],
            "es": [
                "El precio unitario de la factura {inv} no coincide con el presupuesto, negociamos un descuento del 10 %.",
                "Hay un error de precio en la factura {inv}: el precio acordado era más bajo.",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Nous paierons dès réception d'une facture corrigée au prix du contrat pour {inv}.",
                "Merci de nous envoyer une facture rectificative pour {inv}, le montant de {amount} est trop élevé ; nous réglerons à réception.",
            ],
            "en": [
                "We will pay once we receive a corrected invoice at the contract price for {inv}.",
                "Please send a corrected invoice for {inv}, {amount} is too much; we will pay on receipt.",
            ],
            "de": [
                "Wir zahlen, sobald wir eine korrigierte Rechnung zum Vertragspreis für {inv} erhalten.",
                "Bitte senden Sie eine berichtigte Rechnung für {inv}, {amount} ist zu hoch; wir zahlen nach Erhalt.",
            ],
            "es": [
                "Pagaremos cuando recibamos una factura rectificada al precio del contrato para {inv}.",
                "Por favor envíennos una factura rectificativa de {inv}, {amount} es demasiado; pagaremos al recibirla.",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Vous avez appliqué l'ancien tarif sur {inv} alors que la nouvelle grille est en vigueur depuis janvier. Nous contestons ce montant.",
                "Le tarif appliqué sur {invs} est celui de l'an dernier, nous contestons.",
            ],
            "en": [
                "You charged the old rate on {inv} although the new price list applies since January. We dispute this amount.",
                "The rate charged on {invs} is last year's, we dispute it.",
            ],
            "de": [
                "Sie haben auf {inv} den alten Tarif berechnet, obwohl seit Januar die neue Preisliste gilt. Wir widersprechen diesem Betrag.",
                "Der auf {invs} berechnete Tarif ist der vom Vorjahr, wir widersprechen.",
            ],
            "es": [
                "Han aplicado la tarifa antigua en {inv} aunque la nueva lista de precios rige desde enero. Impugnamos este importe.",
                "La tarifa aplicada en {invs} es la del año pasado, no estamos de acuerdo.",
            ],
        },
    ),
    # --- dispute: quantity -------------------------------------------------------------
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "Vous nous facturez {q2} palettes sur {inv} mais nous n'en avons reçu que {q1}.",
                "Quantité erronée sur {inv} : {q2} unités facturées, {q1} livrées.",
            ],
            "en": [
                "You billed us {q2} pallets on {inv} but we only received {q1}.",
                "Wrong quantity on {inv}: {q2} units invoiced, {q1} delivered.",
            ],
            "de": [
                "Sie berechnen uns {q2} Paletten auf {inv}, geliefert wurden aber nur {q1}.",
                "Falsche Menge auf {inv}: {q2} Stück berechnet, {q1} geliefert.",
            ],
            "es": [
                "Nos facturan {q2} palets en {inv} pero solo recibimos {q1}.",
                "Cantidad errónea en {inv}: {q2} unidades facturadas, {q1} entregadas.",
            ],
        },
    ),
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "Le bon de livraison signé indique {q1} colis, la facture {inv} en compte {q2}. Nous ne paierons que ce qui a été livré.",
                "Il manque des articles : la livraison était incomplète par rapport à la facture {inv}.",
            ],
            "en": [
                "The signed delivery note shows {q1} parcels, invoice {inv} counts {q2}. We will only pay for what was delivered.",
                "Items are missing: the delivery was short compared with invoice {inv}.",
            ],
            "de": [
                "Der unterschriebene Lieferschein zeigt {q1} Pakete, die Rechnung {inv} zählt {q2}. Wir zahlen nur, was geliefert wurde.",
                "Es fehlen Artikel: die Lieferung war unvollständig im Vergleich zur Rechnung {inv}.",
            ],
            "es": [
                "El albarán firmado indica {q1} bultos y la factura {inv} cuenta {q2}. Solo pagaremos lo entregado.",
                "Faltan artículos: la entrega fue incompleta respecto a la factura {inv}.",
            ],
        },
    ),
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "Les heures facturées sur {inv} ({q2} h) ne correspondent pas aux feuilles de temps validées ({q1} h).",
                "{inv} : {q2} jours facturés alors que l'intervention a duré {q1} jours.",
            ],
            "en": [
                "The hours billed on {inv} ({q2} h) do not match the approved timesheets ({q1} h).",
                "{inv}: {q2} days charged while the job took {q1} days.",
            ],
            "de": [
                "Die auf {inv} berechneten Stunden ({q2} h) stimmen nicht mit den freigegebenen Stundenzetteln ({q1} h) überein.",
                "{inv}: {q2} Tage berechnet, der Einsatz dauerte aber {q1} Tage.",
            ],
            "es": [
                "Las horas facturadas en {inv} ({q2} h) no coinciden con los partes de horas aprobados ({q1} h).",
                "{inv}: se facturan {q2} días cuando el trabajo duró {q1} días.",
            ],
        },
    ),
    # --- dispute: quality --------------------------------------------------------------
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "La marchandise de la facture {inv} est arrivée abîmée, plusieurs cartons étaient écrasés. Nous refusons de payer en l'état.",
                "Les produits livrés avec {inv} sont défectueux, nous avons ouvert une réclamation.",
            ],
            "en": [
                "The goods on invoice {inv} arrived damaged, several boxes were crushed. We won't pay as it stands.",
                "The products delivered with {inv} are defective, we have opened a claim.",
            ],
            "de": [
                "Die Ware der Rechnung {inv} kam beschädigt an, mehrere Kartons waren zerdrückt. So zahlen wir nicht.",
                "Die mit {inv} gelieferten Produkte sind mangelhaft, wir haben eine Reklamation eröffnet.",
            ],
            "es": [
                "La mercancía de la factura {inv} llegó dañada, varias cajas estaban aplastadas. No pagaremos así.",
                "Los productos entregados con {inv} son defectuosos, hemos abierto una reclamación.",
            ],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "Nous réglerons {inv} quand les pièces défectueuses auront été remplacées.",
                "Paiement de {inv} bloqué tant que le problème de qualité n'est pas résolu.",
            ],
            "en": [
                "We will pay {inv} once the faulty parts have been replaced.",
                "Payment of {inv} is on hold until the quality issue is fixed.",
            ],
            "de": [
                "Wir bezahlen {inv}, sobald die fehlerhaften Teile ersetzt wurden.",
                "Die Zahlung von {inv} ist gesperrt, bis das Qualitätsproblem gelöst ist.",
            ],
            "es": [
                "Pagaremos {inv} cuando se hayan sustituido las piezas defectuosas.",
                "El pago de {inv} queda bloqueado hasta que se resuelva el problema de calidad.",
            ],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "La prestation facturée sur {inv} n'a pas été réalisée correctement : le logiciel plante toujours. Nous contestons.",
                "Travail bâclé sur le chantier, nous ne validerons pas {inv} avant reprise des malfaçons.",
            ],
            "en": [
                "The service billed on {inv} was not done properly: the software still crashes. We dispute it.",
                "Sloppy work on site, we will not approve {inv} until the defects are fixed.",
            ],
            "de": [
                "Die auf {inv} berechnete Leistung wurde nicht ordnungsgemäß erbracht: die Software stürzt immer noch ab. Wir widersprechen.",
                "Schlampige Arbeit auf der Baustelle, {inv} geben wir erst nach Beseitigung der Mängel frei.",
            ],
            "es": [
                "El servicio facturado en {inv} no se hizo bien: el programa sigue fallando. Lo impugnamos.",
                "Trabajo mal hecho en la obra, no aprobaremos {inv} hasta que se reparen los defectos.",
            ],
        },
    ),
    # --- dispute: not received (goods or services) -------------------------------------
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": [
                "Nous n'avons jamais reçu la marchandise correspondant à la facture {inv}. Pas de livraison, pas de paiement.",
                "La commande de {inv} ne nous a pas été livrée à ce jour.",
            ],
            "en": [
                "We never received the goods for invoice {inv}. No delivery, no payment.",
                "The order behind {inv} has not been delivered to date.",
            ],
            "de": [
                "Wir haben die Ware zur Rechnung {inv} nie erhalten. Keine Lieferung, keine Zahlung.",
                "Die Bestellung zu {inv} wurde bis heute nicht geliefert.",
            ],
            "es": [
                "Nunca recibimos la mercancía de la factura {inv}. Sin entrega no hay pago.",
                "El pedido de la factura {inv} no nos ha sido entregado hasta la fecha.",
            ],
        },
    ),
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": [
                "Le technicien n'est jamais venu, la prestation facturée sur {inv} n'a pas eu lieu.",
                "La formation facturée ({inv}) a été annulée de votre côté et n'a jamais eu lieu.",
            ],
            "en": [
                "The technician never came, the service billed on {inv} did not take place.",
                "The training invoiced ({inv}) was cancelled by you and never happened.",
            ],
            "de": [
                "Der Techniker ist nie gekommen, die auf {inv} berechnete Leistung hat nicht stattgefunden.",
                "Die berechnete Schulung ({inv}) wurde von Ihnen abgesagt und hat nie stattgefunden.",
            ],
            "es": [
                "El técnico nunca vino, el servicio facturado en {inv} no se prestó.",
                "La formación facturada ({inv}) la cancelaron ustedes y nunca se realizó.",
            ],
        },
    ),
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": [
                "Le transporteur dit avoir livré mais nous n'avons rien reçu pour {inv}, merci de fournir la preuve de livraison.",
                "Aucun colis reçu pour {invs}, le suivi indique une erreur d'adresse.",
            ],
            "en": [
                "The carrier says it delivered but we got nothing for {inv}, please provide proof of delivery.",
                "No parcel received for {invs}, tracking shows an address error.",
            ],
            "de": [
                "Der Spediteur behauptet geliefert zu haben, aber wir haben für {inv} nichts bekommen, bitte senden Sie einen Liefernachweis.",
                "Kein Paket für {invs} erhalten, die Sendungsverfolgung zeigt einen Adressfehler.",
            ],
            "es": [
                "El transportista dice que entregó pero no recibimos nada de {inv}, envíennos la prueba de entrega.",
                "Ningún paquete recibido de {invs}, el seguimiento indica un error de dirección.",
            ],
        },
    ),
    # --- dispute: already paid (our records wrong) -------------------------------------
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Cette facture {inv} a déjà été réglée, il doit y avoir une erreur dans votre comptabilité. Merci de vérifier vos relevés.",
                "Vos relances sont erronées : {inv} est payée depuis longtemps, vérifiez votre lettrage.",
            ],
            "en": [
                "Invoice {inv} has already been paid, there must be a mistake in your books. Please check your statements.",
                "Your reminders are wrong: {inv} was paid long ago, check your reconciliation.",
            ],
            "de": [
                "Die Rechnung {inv} wurde bereits bezahlt, in Ihrer Buchhaltung muss ein Fehler sein. Bitte prüfen Sie Ihre Kontoauszüge.",
                "Ihre Mahnungen sind falsch: {inv} ist längst bezahlt, prüfen Sie Ihren Ausgleich.",
            ],
            "es": [
                "La factura {inv} ya está pagada, debe de haber un error en su contabilidad. Revisen sus extractos por favor.",
                "Sus recordatorios son erróneos: {inv} está pagada hace tiempo, revisen su conciliación.",
            ],
        },
    ),
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Nous contestons cette relance : le paiement de {inv} a été encaissé par vous, il a dû être affecté à une autre facture par erreur.",
                "Votre service a mal imputé notre virement, {inv} n'est pas due. Corrigez votre compte client.",
            ],
            "en": [
                "We dispute this reminder: the payment for {inv} was cashed by you, it must have been allocated to another invoice by mistake.",
                "Your team misallocated our transfer, {inv} is not owed. Please correct our account.",
            ],
            "de": [
                "Wir widersprechen dieser Mahnung: die Zahlung für {inv} wurde von Ihnen vereinnahmt, sie wurde wohl versehentlich einer anderen Rechnung zugeordnet.",
                "Ihre Abteilung hat unsere Überweisung falsch verbucht, {inv} ist nicht offen. Bitte korrigieren Sie unser Konto.",
            ],
            "es": [
                "Impugnamos este recordatorio: ustedes cobraron el pago de {inv}, seguramente se imputó por error a otra factura.",
                "Su departamento imputó mal nuestra transferencia, {inv} no se debe. Corrijan nuestra cuenta.",
            ],
        },
    ),
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Encore une relance pour {inv} ?? Elle est payée, c'est la troisième fois que je vous le dis, mettez à jour votre système.",
                "Arrêtez de nous relancer pour {invs}, c'est réglé et vos chiffres sont faux.",
            ],
            "en": [
                "Another reminder for {inv}?? It is paid, third time I'm telling you, update your system.",
                "Stop chasing us for {invs}, it's settled and your figures are wrong.",
            ],
            "de": [
                "Schon wieder eine Mahnung für {inv}?? Sie ist bezahlt, ich sage es zum dritten Mal, aktualisieren Sie Ihr System.",
                "Hören Sie auf, uns wegen {invs} zu mahnen, das ist erledigt und Ihre Zahlen sind falsch.",
            ],
            "es": [
                "¿¿Otro recordatorio de {inv}?? Está pagada, es la tercera vez que se lo digo, actualicen su sistema.",
                "Dejen de reclamarnos {invs}, está pagado y sus cifras están mal.",
            ],
        },
    ),
    # --- dispute: other ----------------------------------------------------------------
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "Nous n'avons jamais passé cette commande, la facture {inv} ne nous concerne pas.",
                "Cette facture {inv} est adressée à la mauvaise société, nous ne sommes pas votre client pour ce contrat.",
            ],
            "en": [
                "We never placed this order, invoice {inv} is not ours.",
                "Invoice {inv} is addressed to the wrong company, we are not your customer for this contract.",
            ],
            "de": [
                "Wir haben diese Bestellung nie aufgegeben, die Rechnung {inv} betrifft uns nicht.",
                "Die Rechnung {inv} ist an die falsche Firma adressiert, für diesen Vertrag sind wir nicht Ihr Kunde.",
            ],
            "es": [
                "Nunca hicimos este pedido, la factura {inv} no es nuestra.",
                "La factura {inv} está dirigida a la empresa equivocada, no somos su cliente en este contrato.",
            ],
        },
    ),
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "La facture {inv} fait doublon avec {inv2}, nous ne paierons pas deux fois la même prestation.",
                "{inv} est facturée en double, merci d'annuler l'une des deux.",
            ],
            "en": [
                "Invoice {inv} duplicates {inv2}, we will not pay twice for the same service.",
                "{inv} was billed twice, please cancel one of them.",
            ],
            "de": [
                "Die Rechnung {inv} ist eine Doppelung von {inv2}, wir zahlen nicht zweimal für dieselbe Leistung.",
                "{inv} wurde doppelt berechnet, bitte stornieren Sie eine davon.",
            ],
            "es": [
                "La factura {inv} duplica la {inv2}, no pagaremos dos veces el mismo servicio.",
                "{inv} está facturada dos veces, anulen una de ellas por favor.",
            ],
        },
    ),
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "Le contrat a été résilié en juin, la facture {inv} porte sur une période où nous n'étions plus engagés. Nous la contestons.",
                "Abonnement résilié, {inv} n'a pas lieu d'être.",
            ],
            "en": [
                "The contract was terminated in June, invoice {inv} covers a period after that. We dispute it.",
                "Subscription cancelled, {inv} should not exist.",
            ],
            "de": [
                "Der Vertrag wurde im Juni gekündigt, die Rechnung {inv} betrifft einen Zeitraum danach. Wir widersprechen.",
                "Abo gekündigt, {inv} ist hinfällig.",
            ],
            "es": [
                "El contrato se rescindió en junio, la factura {inv} cubre un periodo posterior. La impugnamos.",
                "Suscripción cancelada, {inv} no procede.",
            ],
        },
    ),
    # --- payment made ------------------------------------------------------------------
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Le virement pour la facture {inv} a été effectué {date}.",
                "Nous avons réglé {invs} {date} par virement, vous devriez le voir sous peu.",
            ],
            "en": [
                "The transfer for invoice {inv} was made {date}.",
                "We paid {invs} {date} by bank transfer, you should see it shortly.",
            ],
            "de": [
                "Die Überweisung für die Rechnung {inv} wurde {date} ausgeführt.",
                "Wir haben {invs} {date} per Überweisung bezahlt, Sie sollten es in Kürze sehen.",
            ],
            "es": [
                "La transferencia de la factura {inv} se hizo {date}.",
                "Pagamos {invs} {date} por transferencia, lo verán en breve.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Veuillez trouver ci-joint notre avis de paiement : {amount} réglés {date} pour {invs}.",
                "Ci-joint l'avis de virement de {amount} pour la facture {inv}.",
            ],
            "en": [
                "Please find attached our remittance advice: {amount} paid {date} for {invs}.",
                "Attached is the remittance advice for {amount} covering invoice {inv}.",
            ],
            "de": [
                "Anbei unser Zahlungsavis: {amount} bezahlt {date} für {invs}.",
                "Anbei das Zahlungsavis über {amount} für die Rechnung {inv}.",
            ],
            "es": [
                "Adjuntamos nuestro aviso de pago: {amount} pagados {date} por {invs}.",
                "Adjunto el aviso de transferencia de {amount} de la factura {inv}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": ["paiement fait {date} 👍", "c'est payé depuis {date}, bonne journée"],
            "en": ["paid {date} 👍", "all paid {date}, have a good day"],
            "de": ["{date} bezahlt 👍", "ist {date} bezahlt worden, schönen Tag noch"],
            "es": ["pagado {date} 👍", "ya está pagado desde {date}, buen día"],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Un chèque de {amount} a été envoyé {date} pour solder {inv}.",
                "Nous avons posté le chèque {date}, il couvre {invs}.",
            ],
            "en": [
                "A cheque for {amount} was sent {date} to settle {inv}.",
                "We posted the cheque {date}, it covers {invs}.",
            ],
            "de": [
                "Ein Scheck über {amount} wurde {date} verschickt, um {inv} auszugleichen.",
                "Wir haben den Scheck {date} abgeschickt, er deckt {invs}.",
            ],
            "es": [
                "Se envió {date} un cheque de {amount} para saldar {inv}.",
                "Enviamos el cheque {date}, cubre {invs}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Je pense que nos messages se sont croisés : {inv} a été payée {date}. Merci de ne pas tenir compte de votre relance.",
                "Le règlement est parti {date}, nos courriers se sont sans doute croisés.",
            ],
            "en": [
                "I think our emails crossed: {inv} was paid {date}. Please disregard your reminder.",
                "Payment went out {date}, our messages probably crossed.",
            ],
            "de": [
                "Ich glaube, unsere Nachrichten haben sich überschnitten: {inv} wurde {date} bezahlt. Bitte betrachten Sie Ihre Mahnung als gegenstandslos.",
                "Die Zahlung ging {date} raus, unsere Schreiben haben sich wohl überschnitten.",
            ],
            "es": [
                "Creo que nuestros correos se cruzaron: {inv} se pagó {date}. Ignoren su recordatorio.",
                "El pago salió {date}, seguramente nuestros mensajes se cruzaron.",
            ],
        },
    ),
    # --- copy requests -----------------------------------------------------------------
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Nous n'avons jamais reçu la facture {inv}, pouvez-vous nous en envoyer une copie ?",
                "Facture {inv} introuvable chez nous, merci de nous la renvoyer en PDF.",
            ],
            "en": [
                "We never received invoice {inv}, could you send us a copy?",
                "Can't find invoice {inv} on our side, please resend it as a PDF.",
            ],
            "de": [
                "Wir haben die Rechnung {inv} nie erhalten, können Sie uns eine Kopie schicken?",
                "Rechnung {inv} ist bei uns nicht auffindbar, bitte senden Sie sie erneut als PDF.",
            ],
            "es": [
                "Nunca recibimos la factura {inv}, ¿pueden enviarnos una copia?",
                "No encontramos la factura {inv}, por favor reenvíenla en PDF.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Nous paierons dès que vous nous aurez transmis un duplicata de {inv}, notre comptabilité en a besoin.",
                "Pour pouvoir payer {invs} il nous faut les factures originales, merci de les renvoyer.",
            ],
            "en": [
                "We will pay as soon as you send us a duplicate of {inv}, our accounts team needs it.",
                "To pay {invs} we need the original invoices, please send them again.",
            ],
            "de": [
                "Wir zahlen, sobald Sie uns ein Duplikat von {inv} schicken, unsere Buchhaltung braucht es.",
                "Um {invs} zu bezahlen, brauchen wir die Originalrechnungen, bitte senden Sie sie erneut.",
            ],
            "es": [
                "Pagaremos en cuanto nos envíen un duplicado de {inv}, contabilidad lo necesita.",
                "Para pagar {invs} necesitamos las facturas originales, reenvíenlas por favor.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Vos factures partent sans doute dans nos spams, pourriez-vous renvoyer {inv} à {email} ?",
                "Merci de déposer la facture {inv} sur notre portail fournisseurs, sinon nous ne pouvons pas la traiter.",
            ],
            "en": [
                "Your invoices probably end up in our spam, could you resend {inv} to {email}?",
                "Please upload invoice {inv} to our supplier portal, otherwise we can't process it.",
            ],
            "de": [
                "Ihre Rechnungen landen wohl im Spam, könnten Sie {inv} an {email} nochmal senden?",
                "Bitte laden Sie die Rechnung {inv} in unser Lieferantenportal hoch, sonst können wir sie nicht bearbeiten.",
            ],
            "es": [
                "Sus facturas acaban seguramente en spam, ¿podrían reenviar {inv} a {email}?",
                "Suban la factura {inv} a nuestro portal de proveedores, si no no podemos tramitarla.",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous adresser un relevé de compte à jour ? Nous voulons rapprocher nos écritures.",
                "Merci de nous envoyer l'état de nos factures ouvertes chez vous.",
            ],
            "en": [
                "Could you send us an up-to-date statement of account? We want to reconcile our books.",
                "Please send us a list of our open invoices with you.",
            ],
            "de": [
                "Können Sie uns einen aktuellen Kontoauszug schicken? Wir möchten unsere Buchungen abstimmen.",
                "Bitte senden Sie uns eine Aufstellung unserer offenen Posten bei Ihnen.",
            ],
            "es": [
                "¿Pueden enviarnos un extracto de cuenta actualizado? Queremos conciliar nuestra contabilidad.",
                "Envíennos el listado de nuestras facturas pendientes con ustedes, por favor.",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": [
                "Avant de payer quoi que ce soit, j'ai besoin d'un récapitulatif de tout ce que nous vous devons.",
                "Envoyez-moi le détail du solde, je ne retrouve pas le même total.",
            ],
            "en": [
                "Before paying anything I need a summary of everything we owe you.",
                "Send me the breakdown of the balance, I don't get the same total.",
            ],
            "de": [
                "Bevor wir irgendetwas zahlen, brauche ich eine Übersicht über alles, was wir Ihnen schulden.",
                "Schicken Sie mir die Aufschlüsselung des Saldos, ich komme nicht auf dieselbe Summe.",
            ],
            "es": [
                "Antes de pagar nada necesito un resumen de todo lo que les debemos.",
                "Mándenme el desglose del saldo, no me sale el mismo total.",
            ],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Votre facture {inv} ne mentionne pas notre numéro de bon de commande, merci de nous le rappeler ou de joindre le bon de commande.",
                "Sans référence de commande nous ne pouvons pas traiter {inv} : quel est le numéro de BC ?",
            ],
            "en": [
                "Your invoice {inv} does not show our purchase order number, please tell us or attach the PO.",
                "Without a PO reference we can't process {inv}: what is the purchase order number?",
            ],
            "de": [
                "Ihre Rechnung {inv} nennt unsere Bestellnummer nicht, bitte teilen Sie sie mit oder fügen Sie die Bestellung bei.",
                "Ohne Bestellreferenz können wir {inv} nicht bearbeiten: wie lautet die Bestellnummer?",
            ],
            "es": [
                "Su factura {inv} no indica nuestro número de pedido, indíquenlo o adjunten la orden de compra.",
                "Sin referencia de pedido no podemos tramitar {inv}: ¿cuál es el número de orden de compra?",
            ],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous renvoyer une copie du bon de commande signé pour {inv} ? Notre service achats la demande.",
                "Il nous faut le bon de commande correspondant à {inv} pour le circuit de validation.",
            ],
            "en": [
                "Could you send us a copy of the signed purchase order for {inv}? Our purchasing team asks for it.",
                "We need the purchase order matching {inv} for our approval workflow.",
            ],
            "de": [
                "Können Sie uns eine Kopie der unterschriebenen Bestellung zu {inv} schicken? Unser Einkauf verlangt sie.",
                "Wir benötigen die Bestellung zu {inv} für unseren Freigabeprozess.",
            ],
            "es": [
                "¿Pueden enviarnos una copia de la orden de compra firmada de {inv}? Compras la solicita.",
                "Necesitamos la orden de compra correspondiente a {inv} para el circuito de aprobación.",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous envoyer votre RIB ? Nous devons créer votre compte fournisseur avant de payer.",
                "Merci de nous confirmer vos coordonnées bancaires (IBAN et BIC) sur papier à en-tête.",
            ],
            "en": [
                "Could you send us your bank details? We need to set you up as a supplier before paying.",
                "Please confirm your bank details (IBAN and BIC) on letterhead.",
            ],
            "de": [
                "Können Sie uns Ihre Bankverbindung schicken? Wir müssen Sie als Lieferanten anlegen, bevor wir zahlen.",
                "Bitte bestätigen Sie Ihre Bankdaten (IBAN und BIC) auf Briefpapier.",
            ],
            "es": [
                "¿Pueden enviarnos sus datos bancarios? Tenemos que darles de alta como proveedor antes de pagar.",
                "Confirmen sus datos bancarios (IBAN y BIC) en papel con membrete, por favor.",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": [
                "Nous avons reçu un courrier annonçant un changement d'IBAN chez vous. Par sécurité, pouvez-vous nous redonner vos coordonnées bancaires ?",
                "Quel IBAN devons-nous utiliser ? L'ancien compte est-il toujours valable ?",
            ],
            "en": [
                "We received a letter saying your IBAN changed. For safety, could you give us your bank details again?",
                "Which IBAN should we use? Is the old account still valid?",
            ],
            "de": [
                "Wir haben ein Schreiben über eine Änderung Ihrer IBAN erhalten. Können Sie uns zur Sicherheit Ihre Bankverbindung nochmals geben?",
                "Welche IBAN sollen wir verwenden? Ist das alte Konto noch gültig?",
            ],
            "es": [
                "Recibimos una carta anunciando un cambio de IBAN. Por seguridad, ¿pueden darnos de nuevo sus datos bancarios?",
                "¿Qué IBAN debemos usar? ¿Sigue siendo válida la cuenta antigua?",
            ],
        },
    ),
    # --- contact change ----------------------------------------------------------------
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je quitte la société à la fin du mois, merci d'adresser désormais vos relances à {email}.",
                "Merci de mettre à jour vos fichiers : notre nouvelle adresse pour la comptabilité est {email}.",
            ],
            "en": [
                "I am leaving the company at the end of the month, please send your reminders to {email} from now on.",
                "Please update your records: our new accounts payable address is {email}.",
            ],
            "de": [
                "Ich verlasse das Unternehmen zum Monatsende, bitte senden Sie Ihre Mahnungen künftig an {email}.",
                "Bitte aktualisieren Sie Ihre Daten: unsere neue Adresse für die Kreditorenbuchhaltung ist {email}.",
            ],
            "es": [
                "Dejo la empresa a final de mes, a partir de ahora envíen sus recordatorios a {email}.",
                "Actualicen sus datos: nuestra nueva dirección de cuentas a pagar es {email}.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je ne m'occupe plus des paiements fournisseurs. Votre nouvel interlocuteur est {name}, joignable au {phone}.",
                "Ce n'est plus moi qui gère ce compte, voyez avec {name} ({email}).",
            ],
            "en": [
                "I no longer handle supplier payments. Your new contact is {name}, on {phone}.",
                "I'm not in charge of this account anymore, please contact {name} ({email}).",
            ],
            "de": [
                "Ich bin nicht mehr für Lieferantenzahlungen zuständig. Ihr neuer Ansprechpartner ist {name}, erreichbar unter {phone}.",
                "Ich betreue dieses Konto nicht mehr, wenden Sie sich an {name} ({email}).",
            ],
            "es": [
                "Ya no me ocupo de los pagos a proveedores. Su nuevo contacto es {name}, en el {phone}.",
                "Ya no llevo esta cuenta, contacten con {name} ({email}).",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Notre siège a déménagé, merci d'envoyer les courriers et factures à notre nouvelle adresse : 12 avenue des Tilleuls, 69003 Lyon.",
                "Changement de raison sociale et d'adresse de facturation, nouvelle adresse ci-dessous.",
            ],
            "en": [
                "Our head office has moved, please send letters and invoices to our new address: 4 Mill Lane, Leeds LS1 4AB.",
                "Change of company name and billing address, new address below.",
            ],
            "de": [
                "Unser Firmensitz ist umgezogen, bitte senden Sie Post und Rechnungen an unsere neue Adresse: Lindenstraße 12, 80331 München.",
                "Änderung von Firmenname und Rechnungsadresse, neue Adresse unten.",
            ],
            "es": [
                "Nuestra sede se ha trasladado, envíen cartas y facturas a la nueva dirección: calle Mayor 12, 28013 Madrid.",
                "Cambio de razón social y de dirección de facturación, nueva dirección abajo.",
            ],
        },
    ),
    # --- out of office -----------------------------------------------------------------
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Je suis absent du bureau et serai de retour {date}. Pour toute urgence, contactez l'accueil.",
                "Bonjour, je suis en congés avec un accès limité à mes mails jusqu'à mon retour {date}.",
            ],
            "en": [
                "I am out of the office and will be back {date}. For anything urgent please contact reception.",
                "Hello, I am on leave with limited access to email until I return {date}.",
            ],
            "de": [
                "Ich bin nicht im Büro und {date} wieder da. In dringenden Fällen wenden Sie sich an den Empfang.",
                "Hallo, ich bin im Urlaub und habe bis zu meiner Rückkehr {date} nur eingeschränkt Zugriff auf E-Mails.",
            ],
            "es": [
                "Estoy fuera de la oficina y volveré {date}. Para cualquier urgencia contacte con recepción.",
                "Hola, estoy de vacaciones con acceso limitado al correo hasta mi regreso {date}.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Réponse automatique : je suis en déplacement. Votre message sera traité à mon retour {date}.",
                "Message automatique - absente, je reviens {date}. Merci de votre compréhension.",
            ],
            "en": [
                "Automatic reply: I am travelling. Your message will be dealt with when I am back {date}.",
                "Auto-reply - away, back {date}. Thanks for your patience.",
            ],
            "de": [
                "Automatische Antwort: ich bin auf Dienstreise. Ihre Nachricht wird nach meiner Rückkehr {date} bearbeitet.",
                "Automatische Nachricht - abwesend, zurück {date}. Danke für Ihr Verständnis.",
            ],
            "es": [
                "Respuesta automática: estoy de viaje. Su mensaje se tratará a mi vuelta {date}.",
                "Mensaje automático - ausente, vuelvo {date}. Gracias por su comprensión.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Je suis en arrêt maladie, retour prévu {date}. Vos messages ne sont pas transférés.",
                "Actuellement en congé maternité. Mon collègue du service comptable prend le relais, retour {date}.",
            ],
            "en": [
                "I am on sick leave, expected back {date}. Your messages are not forwarded.",
                "Currently on parental leave. A colleague from accounting covers for me; I am back {date}.",
            ],
            "de": [
                "Ich bin krankgeschrieben, voraussichtlich zurück {date}. Ihre Nachrichten werden nicht weitergeleitet.",
                "Derzeit in Elternzeit. Ein Kollege aus der Buchhaltung vertritt mich, ich bin {date} zurück.",
            ],
            "es": [
                "Estoy de baja médica, vuelvo previsiblemente {date}. Sus mensajes no se reenvían.",
                "Actualmente de baja por maternidad. Un compañero de contabilidad me sustituye, vuelvo {date}.",
            ],
        },
    ),
    # --- call-back request -------------------------------------------------------------
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pouvez-vous me rappeler au {phone} ? Je préfère en parler de vive voix.",
                "Merci de m'appeler, c'est plus simple par téléphone : {phone}.",
            ],
            "en": [
                "Could you call me back on {phone}? I'd rather discuss it on the phone.",
                "Please give me a call, it's easier by phone: {phone}.",
            ],
            "de": [
                "Können Sie mich unter {phone} zurückrufen? Ich bespreche das lieber telefonisch.",
                "Bitte rufen Sie mich an, telefonisch ist es einfacher: {phone}.",
            ],
            "es": [
                "¿Pueden llamarme al {phone}? Prefiero hablarlo por teléfono.",
                "Llámenme por favor, es más fácil por teléfono: {phone}.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je souhaiterais échanger avec votre responsable recouvrement au sujet de notre encours. Quand êtes-vous joignable ?",
                "Est-ce que quelqu'un de chez vous peut m'appeler dans la matinée ?",
            ],
            "en": [
                "I would like to speak with your credit manager about our balance. When can we talk?",
                "Can someone from your team ring me this morning?",
            ],
            "de": [
                "Ich würde gern mit Ihrer Forderungsabteilung über unseren Saldo sprechen. Wann sind Sie erreichbar?",
                "Kann mich jemand von Ihnen heute Vormittag anrufen?",
            ],
            "es": [
                "Me gustaría hablar con su responsable de cobros sobre nuestro saldo. ¿Cuándo podemos hablar?",
                "¿Puede llamarme alguien de su equipo esta mañana?",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Rappelez-moi svp, j'ai essayé de vous joindre mais personne ne décroche.",
                "J'ai laissé un message sur votre répondeur, merci de me recontacter par téléphone.",
            ],
            "en": [
                "Call me back please, I tried to reach you but nobody picks up.",
                "I left a voicemail, please get back to me by phone.",
            ],
            "de": [
                "Rufen Sie mich bitte zurück, ich habe versucht Sie zu erreichen, aber niemand nimmt ab.",
                "Ich habe auf Ihren Anrufbeantworter gesprochen, bitte melden Sie sich telefonisch.",
            ],
            "es": [
                "Devuélvanme la llamada, he intentado localizarles pero nadie contesta.",
                "Les dejé un mensaje en el contestador, llámenme por favor.",
            ],
        },
    ),
    # --- other -------------------------------------------------------------------------
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Bien reçu, je transmets à notre service comptable.",
                "Merci pour votre message, je fais suivre en interne.",
            ],
            "en": [
                "Received, I'm passing this on to our accounts department.",
                "Thanks for your message, forwarding internally.",
            ],
            "de": [
                "Erhalten, ich leite das an unsere Buchhaltung weiter.",
                "Danke für Ihre Nachricht, ich leite sie intern weiter.",
            ],
            "es": [
                "Recibido, lo paso a nuestro departamento de contabilidad.",
                "Gracias por su mensaje, lo reenvío internamente.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci de me retirer de votre liste de diffusion.",
                "Je ne suis pas la bonne personne, je ne connais pas cette société.",
            ],
            "en": [
                "Please remove me from your mailing list.",
                "I'm not the right person, I don't know this company.",
            ],
            "de": [
                "Bitte nehmen Sie mich aus Ihrem Verteiler.",
                "Ich bin nicht die richtige Person, ich kenne diese Firma nicht.",
            ],
            "es": [
                "Por favor, elimínenme de su lista de distribución.",
                "No soy la persona adecuada, no conozco esta empresa.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Où en est notre commande en cours ? Nous attendons toujours le devis pour le deuxième site.",
                "Pouvez-vous nous indiquer le délai de livraison de la prochaine commande ?",
            ],
            "en": [
                "What is the status of our current order? We're still waiting for the quote for the second site.",
                "Could you tell us the lead time for the next order?",
            ],
            "de": [
                "Wie ist der Stand unserer laufenden Bestellung? Wir warten noch auf das Angebot für den zweiten Standort.",
                "Können Sie uns die Lieferzeit für die nächste Bestellung nennen?",
            ],
            "es": [
                "¿Cómo va nuestro pedido actual? Seguimos esperando el presupuesto para la segunda sede.",
                "¿Pueden indicarnos el plazo de entrega del próximo pedido?",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Nous changeons de logiciel comptable, il y aura peut-être quelques retards de traitement ces prochaines semaines.",
                "Est-il possible de recevoir vos factures par EDI à l'avenir ?",
            ],
            "en": [
                "We are switching accounting software, there may be some processing delays in the coming weeks.",
                "Would it be possible to receive your invoices through EDI in future?",
            ],
            "de": [
                "Wir stellen unsere Buchhaltungssoftware um, in den nächsten Wochen kann es zu Verzögerungen kommen.",
                "Ist es möglich, Ihre Rechnungen künftig per EDI zu erhalten?",
            ],
            "es": [
                "Estamos cambiando de programa de contabilidad, puede haber algún retraso en las próximas semanas.",
                "¿Sería posible recibir sus facturas por EDI en el futuro?",
            ],
        },
    ),
]

# More ways of saying the same things: families added after the first evaluation showed
# each group needed more than two or three ways in (same split rule, appended per group).
FAMILIES += [
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Je m'engage à solder le compte {date}.",
                "Vous aurez votre argent {date}, je m'y engage.",
            ],
            "en": [
                "I commit to clearing the account {date}.",
                "You'll have your money {date}, you have my word.",
            ],
            "de": [
                "Ich verpflichte mich, das Konto {date} auszugleichen.",
                "Sie haben Ihr Geld {date}, versprochen.",
            ],
            "es": [
                "Me comprometo a saldar la cuenta {date}.",
                "Tendrán su dinero {date}, se lo prometo.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Notre client final nous règle en fin de semaine, nous pourrons donc vous virer {amount} {date}.",
                "Dès que notre propre client nous aura payés, soit {date}, nous vous réglerons.",
            ],
            "en": [
                "Our own customer pays us at the end of the week, so we can transfer {amount} {date}.",
                "As soon as our customer pays us, {date}, we will settle.",
            ],
            "de": [
                "Unser Endkunde zahlt uns Ende der Woche, wir können Ihnen also {amount} {date} überweisen.",
                "Sobald unser Kunde uns bezahlt hat, also {date}, begleichen wir.",
            ],
            "es": [
                "Nuestro cliente nos paga a final de semana, así que podremos transferirles {amount} {date}.",
                "En cuanto nos pague nuestro cliente, {date}, les pagaremos.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "La mise en paiement de {invs} est programmée {date}.",
                "{inv} : échéance de règlement fixée {date} dans notre ERP.",
            ],
            "en": [
                "Payment of {invs} is scheduled {date}.",
                "{inv}: payment date set {date} in our ERP.",
            ],
            "de": [
                "Die Zahlung von {invs} ist {date} eingeplant.",
                "{inv}: Zahlungstermin {date} in unserem ERP hinterlegt.",
            ],
            "es": [
                "El pago de {invs} está programado {date}.",
                "{inv}: fecha de pago fijada {date} en nuestro ERP.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Accordez-nous un petit délai svp, on vous paie {date} sans faute.",
                "Pouvez-vous patienter jusqu'au règlement {date} ? Merci de votre indulgence.",
            ],
            "en": [
                "Please give us a little more time, we'll pay {date} without fail.",
                "Could you bear with us until payment {date}? Thanks for your patience.",
            ],
            "de": [
                "Bitte geben Sie uns etwas Aufschub, wir zahlen {date} ganz sicher.",
                "Können Sie bis zur Zahlung {date} warten? Danke für Ihre Geduld.",
            ],
            "es": [
                "Dennos un poco más de plazo, pagamos {date} sin falta.",
                "¿Pueden esperar hasta el pago {date}? Gracias por su paciencia.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Règlement effectué par carte bancaire {date}, référence de transaction en pièce jointe.",
                "J'ai payé en ligne {date}, vous avez dû recevoir la confirmation.",
            ],
            "en": [
                "Paid by card {date}, transaction reference attached.",
                "I paid online {date}, you should have received the confirmation.",
            ],
            "de": [
                "{date} per Kreditkarte bezahlt, Transaktionsnummer im Anhang.",
                "Ich habe {date} online bezahlt, Sie müssten die Bestätigung erhalten haben.",
            ],
            "es": [
                "Pagado con tarjeta {date}, adjunto la referencia de la operación.",
                "Pagué en línea {date}, deberían haber recibido la confirmación.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Notre banque a exécuté l'ordre de virement {date}, les fonds sont en route.",
                "Virement SEPA émis {date} depuis notre compte, montant {amount}.",
            ],
            "en": [
                "Our bank executed the payment order {date}, the funds are on their way.",
                "SEPA transfer issued {date} from our account, amount {amount}.",
            ],
            "de": [
                "Unsere Bank hat den Zahlungsauftrag {date} ausgeführt, das Geld ist unterwegs.",
                "SEPA-Überweisung {date} von unserem Konto, Betrag {amount}.",
            ],
            "es": [
                "Nuestro banco ejecutó la orden de transferencia {date}, los fondos van de camino.",
                "Transferencia SEPA emitida {date} desde nuestra cuenta, importe {amount}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "C'est réglé depuis {date} : {inv} et {inv2} ont été payées ensemble.",
                "Le solde a été réglé {date}, nous ne vous devons plus rien à notre connaissance.",
            ],
            "en": [
                "Settled {date}: {inv} and {inv2} were paid together.",
                "The balance was paid {date}, as far as we know we owe nothing more.",
            ],
            "de": [
                "Erledigt seit {date}: {inv} und {inv2} wurden zusammen bezahlt.",
                "Der Saldo wurde {date} beglichen, nach unserem Wissen schulden wir nichts mehr.",
            ],
            "es": [
                "Pagado {date}: {inv} y {inv2} se abonaron juntas.",
                "El saldo se pagó {date}, que sepamos ya no les debemos nada.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Pourriez-vous me faire suivre la facture {inv} ? Je ne la trouve nulle part.",
                "Merci de me transmettre {inv} au format PDF, notre outil ne lit pas votre lien.",
            ],
            "en": [
                "Could you forward me invoice {inv}? I can't find it anywhere.",
                "Please send me {inv} as a PDF, our tool can't open your link.",
            ],
            "de": [
                "Könnten Sie mir die Rechnung {inv} weiterleiten? Ich finde sie nirgends.",
                "Bitte senden Sie mir {inv} als PDF, unser System öffnet Ihren Link nicht.",
            ],
            "es": [
                "¿Podrían reenviarme la factura {inv}? No la encuentro por ningún lado.",
                "Envíenme {inv} en PDF, nuestra herramienta no abre su enlace.",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": [
                "Pour le rapprochement de fin d'année, envoyez-nous le grand livre de notre compte chez vous.",
                "Notre auditeur demande une confirmation de solde, pouvez-vous nous adresser l'extrait de compte ?",
            ],
            "en": [
                "For our year-end reconciliation, please send us the ledger of our account with you.",
                "Our auditor asks for a balance confirmation, can you send us the account extract?",
            ],
            "de": [
                "Für die Jahresabstimmung senden Sie uns bitte die Kontoübersicht unseres Kontos bei Ihnen.",
                "Unser Prüfer verlangt eine Saldenbestätigung, können Sie uns den Kontoauszug schicken?",
            ],
            "es": [
                "Para la conciliación de cierre, envíennos el mayor de nuestra cuenta con ustedes.",
                "Nuestro auditor pide una confirmación de saldo, ¿pueden mandarnos el extracto de cuenta?",
            ],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Quelle commande correspond à {inv} ? Merci d'indiquer la référence de notre bon de commande.",
                "Le numéro de commande manque sur {inv}, renvoyez-nous le BC svp.",
            ],
            "en": [
                "Which order does {inv} relate to? Please quote our purchase order reference.",
                "The PO number is missing on {inv}, please send us the PO.",
            ],
            "de": [
                "Zu welcher Bestellung gehört {inv}? Bitte geben Sie unsere Bestellreferenz an.",
                "Die Bestellnummer fehlt auf {inv}, bitte senden Sie uns die Bestellung.",
            ],
            "es": [
                "¿A qué pedido corresponde {inv}? Indiquen la referencia de nuestra orden de compra.",
                "Falta el número de pedido en {inv}, envíennos la orden de compra.",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": [
                "Sur quel compte faut-il virer ? Votre facture n'indique pas d'IBAN.",
                "Envoyez-nous un RIB signé, notre banque l'exige pour un nouveau bénéficiaire.",
            ],
            "en": [
                "Which account should we pay into? Your invoice shows no IBAN.",
                "Send us signed bank details, our bank requires it for a new payee.",
            ],
            "de": [
                "Auf welches Konto sollen wir überweisen? Ihre Rechnung nennt keine IBAN.",
                "Senden Sie uns eine unterschriebene Bankbestätigung, unsere Bank verlangt sie für neue Empfänger.",
            ],
            "es": [
                "¿A qué cuenta debemos transferir? Su factura no indica IBAN.",
                "Envíennos un certificado de titularidad bancaria, nuestro banco lo exige para un nuevo beneficiario.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "À partir du 1er du mois, notre comptabilité est externalisée : écrivez à {email}.",
                "Nouveau service comptable : merci de remplacer mon adresse par {email} dans vos contacts.",
            ],
            "en": [
                "From the first of the month our accounting is outsourced: write to {email}.",
                "New accounts team: please replace my address with {email} in your contacts.",
            ],
            "de": [
                "Ab dem Ersten ist unsere Buchhaltung ausgelagert: schreiben Sie an {email}.",
                "Neue Buchhaltung: bitte ersetzen Sie meine Adresse in Ihren Kontakten durch {email}.",
            ],
            "es": [
                "A partir del día uno la contabilidad está externalizada: escriban a {email}.",
                "Nuevo equipo contable: sustituyan mi dirección por {email} en sus contactos.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "{name} a remplacé notre ancien trésorier, voici ses coordonnées : {phone}, {email}.",
                "Je suis le nouveau responsable des règlements fournisseurs, notez mes coordonnées : {phone}.",
            ],
            "en": [
                "{name} replaced our former treasurer, here are the details: {phone}, {email}.",
                "I'm the new person in charge of supplier payments, please note my number: {phone}.",
            ],
            "de": [
                "{name} hat unseren früheren Kassenwart ersetzt, hier die Kontaktdaten: {phone}, {email}.",
                "Ich bin neu für Lieferantenzahlungen zuständig, bitte notieren Sie meine Nummer: {phone}.",
            ],
            "es": [
                "{name} sustituye a nuestro antiguo tesorero, estos son sus datos: {phone}, {email}.",
                "Soy el nuevo responsable de pagos a proveedores, anoten mi número: {phone}.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Cette adresse mail ne sera plus relevée. Utilisez désormais {email}.",
                "Adresse obsolète : merci de ne plus écrire ici mais à {email}.",
            ],
            "en": [
                "This mailbox will no longer be monitored. Please use {email} from now on.",
                "Outdated address: please stop writing here and use {email}.",
            ],
            "de": [
                "Dieses Postfach wird nicht mehr gelesen. Bitte verwenden Sie künftig {email}.",
                "Veraltete Adresse: bitte schreiben Sie nicht mehr hierher, sondern an {email}.",
            ],
            "es": [
                "Este buzón ya no se revisará. A partir de ahora usen {email}.",
                "Dirección obsoleta: no escriban más aquí sino a {email}.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Bonjour, je suis actuellement absent et n'aurai pas accès à ma messagerie avant {date}.",
                "Absent(e) du bureau. Je traiterai votre message dès mon retour {date}.",
            ],
            "en": [
                "Hello, I am currently away and won't have access to my mailbox before {date}.",
                "Away from the office. I will deal with your message when I'm back {date}.",
            ],
            "de": [
                "Guten Tag, ich bin derzeit abwesend und habe erst {date} wieder Zugriff auf mein Postfach.",
                "Außer Haus. Ich bearbeite Ihre Nachricht nach meiner Rückkehr {date}.",
            ],
            "es": [
                "Hola, actualmente estoy ausente y no tendré acceso al correo hasta {date}.",
                "Fuera de la oficina. Atenderé su mensaje a mi vuelta {date}.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Nos bureaux sont fermés pour les fêtes, réouverture {date}.",
                "Fermeture annuelle de l'entreprise, nous reprenons {date}.",
            ],
            "en": [
                "Our offices are closed for the holidays, reopening {date}.",
                "Annual company shutdown, we're back {date}.",
            ],
            "de": [
                "Unsere Büros sind über die Feiertage geschlossen, wieder geöffnet {date}.",
                "Betriebsferien, wir sind {date} wieder da.",
            ],
            "es": [
                "Nuestras oficinas están cerradas por vacaciones, reabrimos {date}.",
                "Cierre anual de la empresa, volvemos {date}.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Appelez-moi sur mon portable plutôt que par mail : {phone}.",
                "Je préfère un coup de fil, joignable au {phone} toute la journée.",
            ],
            "en": [
                "Ring me on my mobile rather than by email: {phone}.",
                "I'd prefer a phone call, you can reach me on {phone} all day.",
            ],
            "de": [
                "Rufen Sie mich lieber auf dem Handy an statt zu mailen: {phone}.",
                "Ich hätte lieber einen Anruf, ich bin den ganzen Tag unter {phone} erreichbar.",
            ],
            "es": [
                "Llámenme al móvil en lugar de escribir: {phone}.",
                "Prefiero una llamada, estoy localizable en el {phone} todo el día.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pourrions-nous convenir d'un appel pour faire le point sur le dossier ?",
                "Un échange téléphonique serait plus simple, quand puis-je vous appeler ?",
            ],
            "en": [
                "Could we arrange a call to go through the account?",
                "A phone conversation would be easier, when can I call you?",
            ],
            "de": [
                "Könnten wir einen Telefontermin vereinbaren, um den Vorgang durchzugehen?",
                "Ein Telefonat wäre einfacher, wann kann ich Sie anrufen?",
            ],
            "es": [
                "¿Podríamos concertar una llamada para repasar el expediente?",
                "Una conversación telefónica sería más fácil, ¿cuándo puedo llamarles?",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": ["Ok merci.", "Bien noté, merci."],
            "en": ["Ok thanks.", "Noted, thank you."],
            "de": ["Ok danke.", "Zur Kenntnis genommen, danke."],
            "es": ["Ok gracias.", "Tomamos nota, gracias."],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Avez-vous reçu notre candidature pour le poste de commercial ?",
                "Pouvez-vous m'envoyer votre catalogue 2027 ?",
            ],
            "en": [
                "Did you receive our application for the sales job?",
                "Could you send me your 2027 catalogue?",
            ],
            "de": [
                "Haben Sie unsere Bewerbung für die Vertriebsstelle erhalten?",
                "Können Sie mir Ihren Katalog 2027 schicken?",
            ],
            "es": [
                "¿Recibieron nuestra candidatura para el puesto comercial?",
                "¿Pueden enviarme su catálogo 2027?",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Vous avez oublié d'appliquer la remise annuelle sur {inv}, le montant est donc faux.",
                "Les frais de port facturés sur {inv} n'étaient pas prévus au contrat, nous les contestons.",
            ],
            "en": [
                "You forgot to apply the annual rebate on {inv}, so the amount is wrong.",
                "The shipping costs charged on {inv} were not in the contract, we dispute them.",
            ],
            "de": [
                "Sie haben auf {inv} den Jahresrabatt vergessen, der Betrag ist also falsch.",
                "Die auf {inv} berechneten Versandkosten waren nicht vereinbart, wir widersprechen.",
            ],
            "es": [
                "Olvidaron aplicar el rappel anual en {inv}, así que el importe es erróneo.",
                "Los portes facturados en {inv} no estaban en el contrato, los impugnamos.",
            ],
        },
    ),
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "Nous avons retourné {q1} articles sur {q2}, mais {inv} n'en tient pas compte.",
                "La facture {inv} compte des articles jamais commandés en plus de la quantité prévue.",
            ],
            "en": [
                "We returned {q1} of the {q2} items but {inv} ignores it.",
                "Invoice {inv} counts more items than we ordered.",
            ],
            "de": [
                "Wir haben {q1} von {q2} Artikeln zurückgeschickt, aber {inv} berücksichtigt das nicht.",
                "Die Rechnung {inv} zählt mehr Artikel, als wir bestellt haben.",
            ],
            "es": [
                "Devolvimos {q1} de los {q2} artículos pero {inv} no lo tiene en cuenta.",
                "La factura {inv} cuenta más artículos de los que pedimos.",
            ],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "Produits non conformes au cahier des charges, {inv} est bloquée en attente d'un avoir.",
                "Les denrées livrées ({inv}) étaient périmées, nous avons tout jeté.",
            ],
            "en": [
                "Products do not meet the specification, {inv} is blocked pending a credit note.",
                "The food delivered ({inv}) was past its date, we threw everything away.",
            ],
            "de": [
                "Die Produkte entsprechen nicht dem Lastenheft, {inv} ist bis zu einer Gutschrift gesperrt.",
                "Die gelieferten Lebensmittel ({inv}) waren abgelaufen, wir haben alles entsorgt.",
            ],
            "es": [
                "Los productos no cumplen el pliego de condiciones, {inv} queda bloqueada hasta recibir un abono.",
                "Los alimentos entregados ({inv}) estaban caducados, lo tiramos todo.",
            ],
        },
    ),
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": [
                "Vous facturez ({inv}) une prestation de maintenance qui n'a jamais été effectuée cette année.",
                "Toujours rien reçu de la commande facturée {inv}, nous ne paierons pas une marchandise absente.",
            ],
            "en": [
                "You are billing ({inv}) for maintenance that was never carried out this year.",
                "Still nothing received of the order invoiced on {inv}, we won't pay for goods we don't have.",
            ],
            "de": [
                "Sie berechnen ({inv}) eine Wartung, die dieses Jahr nie durchgeführt wurde.",
                "Von der mit {inv} berechneten Bestellung ist immer noch nichts angekommen, für fehlende Ware zahlen wir nicht.",
            ],
            "es": [
                "Nos facturan ({inv}) un mantenimiento que nunca se hizo este año.",
                "Seguimos sin recibir nada del pedido facturado en {inv}, no pagaremos mercancía que no tenemos.",
            ],
        },
    ),
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Votre relance est injustifiée : nous avons la preuve du paiement de {inv}, c'est à vous de retrouver les fonds.",
                "Erreur de votre part, {inv} est soldée, le relevé bancaire le prouve.",
            ],
            "en": [
                "Your reminder is unjustified: we have proof of payment for {inv}, it's up to you to find the funds.",
                "Your mistake, {inv} is settled, the bank statement proves it.",
            ],
            "de": [
                "Ihre Mahnung ist unberechtigt: wir haben einen Zahlungsnachweis für {inv}, suchen Sie das Geld bei sich.",
                "Ihr Fehler, {inv} ist ausgeglichen, der Kontoauszug beweist es.",
            ],
            "es": [
                "Su recordatorio no procede: tenemos el justificante de pago de {inv}, búsquenlo ustedes.",
                "Error suyo, {inv} está saldada, el extracto bancario lo demuestra.",
            ],
        },
    ),
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "Le taux de TVA appliqué sur {inv} est faux, nous sommes exonérés (autoliquidation).",
                "La facture {inv} n'est pas conforme : il manque notre numéro de TVA intracommunautaire.",
            ],
            "en": [
                "The VAT rate on {inv} is wrong, we are exempt (reverse charge).",
                "Invoice {inv} is not compliant: our VAT number is missing.",
            ],
            "de": [
                "Der Mehrwertsteuersatz auf {inv} ist falsch, wir sind befreit (Reverse Charge).",
                "Die Rechnung {inv} ist nicht ordnungsgemäß: unsere USt-IdNr. fehlt.",
            ],
            "es": [
                "El tipo de IVA de {inv} es erróneo, estamos exentos (inversión del sujeto pasivo).",
                "La factura {inv} no es conforme: falta nuestro NIF intracomunitario.",
            ],
        },
    ),
]

# A third round: short and blunt answers, and answers that carry their point in one word.
FAMILIES += [
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": ["On paie {date}.", "Réglement prévu {date}, merci de patienter."],
            "en": ["Paying {date}.", "Payment planned {date}, thanks for waiting."],
            "de": ["Zahlen {date}.", "Zahlung geplant {date}, danke fürs Warten."],
            "es": ["Pagamos {date}.", "Pago previsto {date}, gracias por esperar."],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Le service comptable me confirme que {inv} partira au prochain virement, {date}.",
                "Notre comptable a validé {inv} ; le virement sera fait {date}.",
            ],
            "en": [
                "Accounts confirm that {inv} will go in the next transfer, {date}.",
                "Our accountant approved {inv}; the transfer will be made {date}.",
            ],
            "de": [
                "Die Buchhaltung bestätigt, dass {inv} mit der nächsten Überweisung {date} rausgeht.",
                "Unser Buchhalter hat {inv} freigegeben; die Überweisung erfolgt {date}.",
            ],
            "es": [
                "Contabilidad confirma que {inv} irá en la próxima transferencia, {date}.",
                "Nuestro contable aprobó {inv}; la transferencia se hará {date}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": ["Déjà payé {date}.", "Virement fait {date}, merci de vérifier."],
            "en": ["Already paid {date}.", "Transfer done {date}, please check."],
            "de": ["Schon {date} bezahlt.", "Überweisung {date} erledigt, bitte prüfen."],
            "es": ["Ya pagado {date}.", "Transferencia hecha {date}, compruébenlo."],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Le montant de {amount} a été débité de notre compte {date}.",
                "Notre relevé montre le débit de {amount} {date} en votre faveur.",
            ],
            "en": [
                "The amount of {amount} left our account {date}.",
                "Our statement shows {amount} debited {date} in your favour.",
            ],
            "de": [
                "Der Betrag von {amount} wurde {date} von unserem Konto abgebucht.",
                "Unser Auszug zeigt {amount}, {date} zu Ihren Gunsten abgebucht.",
            ],
            "es": [
                "El importe de {amount} salió de nuestra cuenta {date}.",
                "Nuestro extracto muestra el cargo de {amount} {date} a su favor.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Merci de m'envoyer une copie de la facture.",
                "Je n'ai pas la facture, vous pouvez me la renvoyer ?",
            ],
            "en": [
                "Please send me a copy of the invoice.",
                "I don't have the invoice, can you resend it?",
            ],
            "de": [
                "Bitte schicken Sie mir eine Kopie der Rechnung.",
                "Ich habe die Rechnung nicht, können Sie sie nochmal schicken?",
            ],
            "es": [
                "Por favor envíenme una copia de la factura.",
                "No tengo la factura, ¿me la reenvían?",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": ["Pouvez-vous m'envoyer un relevé ?", "Un relevé de compte svp."],
            "en": ["Can you send me a statement?", "A statement of account please."],
            "de": ["Können Sie mir einen Kontoauszug schicken?", "Einen Kontoauszug bitte."],
            "es": ["¿Pueden enviarme un extracto?", "Un extracto de cuenta, por favor."],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Votre facture doit porter notre numéro de commande pour être payée, pouvez-vous nous le préciser ?",
                "Merci de joindre le bon de commande, notre service achats ne valide rien sans.",
            ],
            "en": [
                "Your invoice must show our order number to be paid, can you confirm it?",
                "Please attach the purchase order, purchasing won't approve anything without it.",
            ],
            "de": [
                "Ihre Rechnung muss unsere Bestellnummer tragen, um bezahlt zu werden, können Sie sie bestätigen?",
                "Bitte fügen Sie die Bestellung bei, der Einkauf gibt ohne nichts frei.",
            ],
            "es": [
                "Su factura debe llevar nuestro número de pedido para pagarse, ¿pueden confirmarlo?",
                "Adjunten la orden de compra, compras no aprueba nada sin ella.",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": ["Vos coordonnées bancaires svp.", "Il me faut votre IBAN pour le virement."],
            "en": ["Your bank details please.", "I need your IBAN for the transfer."],
            "de": ["Ihre Bankverbindung bitte.", "Ich brauche Ihre IBAN für die Überweisung."],
            "es": ["Sus datos bancarios, por favor.", "Necesito su IBAN para la transferencia."],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci d'écrire dorénavant à {name} qui gère nos factures : {email}.",
                "Veuillez modifier le contact facturation : {name}, {email}.",
            ],
            "en": [
                "Please write to {name} who handles our invoices from now on: {email}.",
                "Please change the billing contact: {name}, {email}.",
            ],
            "de": [
                "Bitte schreiben Sie künftig an {name}, die unsere Rechnungen bearbeitet: {email}.",
                "Bitte ändern Sie den Rechnungskontakt: {name}, {email}.",
            ],
            "es": [
                "A partir de ahora escriban a {name}, que gestiona nuestras facturas: {email}.",
                "Cambien el contacto de facturación: {name}, {email}.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": ["Absent, de retour {date}.", "En congés jusqu'à mon retour {date}."],
            "en": ["Away, back {date}.", "On holiday, returning {date}."],
            "de": ["Abwesend, zurück {date}.", "Im Urlaub, wieder da {date}."],
            "es": ["Ausente, vuelvo {date}.", "De vacaciones, regreso {date}."],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": ["Appelez-moi.", "Merci de me téléphoner."],
            "en": ["Call me.", "Please phone me."],
            "de": ["Rufen Sie mich an.", "Bitte telefonieren Sie mit mir."],
            "es": ["Llámeme.", "Por favor, telefonéeme."],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Votre collègue devait me rappeler la semaine dernière, je n'ai eu aucun appel.",
                "J'attends toujours le coup de téléphone promis par votre service.",
            ],
            "en": [
                "Your colleague was supposed to call me back last week, I got no call.",
                "I'm still waiting for the phone call your team promised.",
            ],
            "de": [
                "Ihr Kollege wollte mich letzte Woche zurückrufen, es kam kein Anruf.",
                "Ich warte immer noch auf den versprochenen Anruf Ihrer Abteilung.",
            ],
            "es": [
                "Su compañero tenía que llamarme la semana pasada y no recibí ninguna llamada.",
                "Sigo esperando la llamada que prometió su departamento.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je ne suis pas concerné, je transfère.",
                "Merci, c'est transmis à la bonne personne.",
            ],
            "en": ["Not for me, forwarding.", "Thanks, passed on to the right person."],
            "de": [
                "Nicht für mich, ich leite weiter.",
                "Danke, an die richtige Person weitergegeben.",
            ],
            "es": ["No es para mí, lo reenvío.", "Gracias, transmitido a la persona adecuada."],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Joyeuses fêtes à toute l'équipe !",
                "Bonne année et merci pour votre collaboration.",
            ],
            "en": [
                "Happy holidays to the whole team!",
                "Happy new year and thanks for working with us.",
            ],
            "de": [
                "Frohe Feiertage an das ganze Team!",
                "Frohes neues Jahr und danke für die Zusammenarbeit.",
            ],
            "es": [
                "¡Felices fiestas a todo el equipo!",
                "Feliz año y gracias por su colaboración.",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": ["Trop cher : {inv} dépasse le prix convenu.", "Prix faux sur {inv}."],
            "en": ["Overcharged: {inv} exceeds the agreed price.", "Wrong price on {inv}."],
            "de": [
                "Zu teuer: {inv} übersteigt den vereinbarten Preis.",
                "Falscher Preis auf {inv}.",
            ],
            "es": ["Demasiado caro: {inv} supera el precio acordado.", "Precio erróneo en {inv}."],
        },
    ),
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "Il manque {q1} pièces sur la livraison de {inv}.",
                "Quantité facturée supérieure à la quantité livrée.",
            ],
            "en": [
                "{q1} pieces are missing from the delivery on {inv}.",
                "More invoiced than delivered.",
            ],
            "de": [
                "Bei der Lieferung zu {inv} fehlen {q1} Stück.",
                "Mehr berechnet als geliefert.",
            ],
            "es": ["Faltan {q1} piezas en la entrega de {inv}.", "Se facturó más de lo entregado."],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "Matériel en panne dès la livraison ({inv}), on attend un échange.",
                "Casse à la livraison, photos jointes.",
            ],
            "en": [
                "Equipment broken on arrival ({inv}), we're waiting for a swap.",
                "Breakage on delivery, photos attached.",
            ],
            "de": [
                "Gerät bei Lieferung defekt ({inv}), wir warten auf einen Austausch.",
                "Bruch bei der Lieferung, Fotos anbei.",
            ],
            "es": [
                "Equipo averiado al llegar ({inv}), esperamos un cambio.",
                "Rotura en la entrega, adjunto fotos.",
            ],
        },
    ),
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": ["Rien reçu.", "Jamais livré, pas de paiement."],
            "en": ["Nothing received.", "Never delivered, no payment."],
            "de": ["Nichts erhalten.", "Nie geliefert, keine Zahlung."],
            "es": ["No recibimos nada.", "Nunca entregado, no hay pago."],
        },
    ),
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Déjà payé, vérifiez vos comptes avant de relancer.",
                "Votre compta se trompe, tout est réglé.",
            ],
            "en": [
                "Already paid, check your accounts before chasing.",
                "Your accounts are wrong, everything is paid.",
            ],
            "de": [
                "Schon bezahlt, prüfen Sie Ihre Konten, bevor Sie mahnen.",
                "Ihre Buchhaltung irrt sich, alles ist bezahlt.",
            ],
            "es": [
                "Ya pagado, revisen sus cuentas antes de reclamar.",
                "Su contabilidad se equivoca, todo está pagado.",
            ],
        },
    ),
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "Nous contestons {inv}.",
                "Facture {inv} contestée, motif à voir avec notre acheteur.",
            ],
            "en": [
                "We dispute {inv}.",
                "Invoice {inv} disputed, reason to be discussed with our buyer.",
            ],
            "de": [
                "Wir bestreiten {inv}.",
                "Rechnung {inv} beanstandet, Grund mit unserem Einkäufer zu klären.",
            ],
            "es": [
                "Impugnamos {inv}.",
                "Factura {inv} impugnada, motivo a tratar con nuestro comprador.",
            ],
        },
    ),
]

# A fourth round: formal letters, answers written for a colleague, answers in passing.
FAMILIES += [
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Nous accusons réception de votre relance et vous informons que le règlement interviendra {date}.",
                "Suite à votre courrier, nous vous informons que {inv} sera honorée {date}.",
            ],
            "en": [
                "We acknowledge your reminder and inform you that payment will be made {date}.",
                "Further to your letter, {inv} will be honoured {date}.",
            ],
            "de": [
                "Wir bestätigen den Eingang Ihrer Mahnung und teilen Ihnen mit, dass die Zahlung {date} erfolgt.",
                "Bezugnehmend auf Ihr Schreiben wird {inv} {date} beglichen.",
            ],
            "es": [
                "Acusamos recibo de su recordatorio y les informamos de que el pago se efectuará {date}.",
                "En relación con su carta, {inv} se abonará {date}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Je viens de lancer la demande de paiement, l'argent devrait arriver {date}.",
                "Demande de règlement saisie, vous serez payés {date}.",
            ],
            "en": [
                "I've just raised the payment request, the money should arrive {date}.",
                "Payment request entered, you'll be paid {date}.",
            ],
            "de": [
                "Ich habe gerade die Zahlungsanforderung gestellt, das Geld sollte {date} ankommen.",
                "Zahlungsantrag erfasst, Sie werden {date} bezahlt.",
            ],
            "es": [
                "Acabo de tramitar la solicitud de pago, el dinero debería llegar {date}.",
                "Solicitud de pago registrada, cobrarán {date}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Nous vous informons que la somme de {amount} vous a été versée {date}.",
                "Par la présente, nous confirmons le règlement de {inv} intervenu {date}.",
            ],
            "en": [
                "We hereby inform you that the sum of {amount} was paid to you {date}.",
                "We confirm settlement of {inv}, made {date}.",
            ],
            "de": [
                "Hiermit teilen wir Ihnen mit, dass Ihnen {date} der Betrag von {amount} überwiesen wurde.",
                "Wir bestätigen die Begleichung von {inv}, erfolgt {date}.",
            ],
            "es": [
                "Por la presente les informamos de que {date} se les abonó la suma de {amount}.",
                "Confirmamos el pago de {inv}, realizado {date}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Julie, tu peux confirmer au fournisseur ? Oui : payé {date} avec le lot de la semaine.",
                "Réponse de notre trésorerie : fonds envoyés {date}.",
            ],
            "en": [
                "Julie, can you confirm to the supplier? Yes: paid {date} with the weekly run.",
                "Answer from our treasury: funds sent {date}.",
            ],
            "de": [
                "Julia, kannst du dem Lieferanten bestätigen? Ja: {date} mit dem Wochenlauf bezahlt.",
                "Antwort unserer Treasury: Geld {date} versendet.",
            ],
            "es": [
                "Julia, ¿puedes confirmarle al proveedor? Sí: pagado {date} con la remesa semanal.",
                "Respuesta de tesorería: fondos enviados {date}.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "La facture {inv} que vous relancez n'est jamais arrivée dans notre boîte de réception des factures, merci de l'adresser à {email}.",
                "Nous ne pouvons pas payer une facture que nous n'avons pas : envoyez {inv} svp.",
            ],
            "en": [
                "The invoice {inv} you are chasing never reached our invoice inbox, please send it to {email}.",
                "We can't pay an invoice we don't have: please send {inv}.",
            ],
            "de": [
                "Die angemahnte Rechnung {inv} ist nie in unserem Rechnungseingang angekommen, bitte senden Sie sie an {email}.",
                "Wir können keine Rechnung bezahlen, die wir nicht haben: bitte senden Sie {inv}.",
            ],
            "es": [
                "La factura {inv} que reclaman nunca llegó a nuestro buzón de facturas, envíenla a {email}.",
                "No podemos pagar una factura que no tenemos: envíen {inv}, por favor.",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": [
                "Je ne comprends pas le montant réclamé. Détaillez-moi les factures concernées.",
                "Quelles factures composent ce solde ? Merci de nous en donner la liste.",
            ],
            "en": [
                "I don't understand the amount claimed. Please list the invoices it covers.",
                "Which invoices make up this balance? Please send us the list.",
            ],
            "de": [
                "Ich verstehe den geforderten Betrag nicht. Bitte listen Sie die betroffenen Rechnungen auf.",
                "Aus welchen Rechnungen setzt sich der Saldo zusammen? Bitte senden Sie uns die Liste.",
            ],
            "es": [
                "No entiendo el importe reclamado. Detállenme las facturas que incluye.",
                "¿Qué facturas componen este saldo? Envíennos la lista.",
            ],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Qui chez nous a passé cette commande ? Envoyez-nous le bon de commande signé.",
                "Je ne retrouve pas la commande d'origine de {inv}, pouvez-vous me la transmettre ?",
            ],
            "en": [
                "Who on our side placed this order? Send us the signed purchase order.",
                "I can't find the original order behind {inv}, can you send it over?",
            ],
            "de": [
                "Wer bei uns hat diese Bestellung aufgegeben? Senden Sie uns die unterschriebene Bestellung.",
                "Ich finde die ursprüngliche Bestellung zu {inv} nicht, können Sie sie mir schicken?",
            ],
            "es": [
                "¿Quién de nuestra empresa hizo este pedido? Envíennos la orden de compra firmada.",
                "No encuentro el pedido original de {inv}, ¿pueden enviármelo?",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": [
                "Le virement nous est revenu rejeté : compte clôturé ? Merci de nous communiquer votre nouvel IBAN.",
                "Notre banque refuse vos coordonnées, pouvez-vous nous renvoyer un RIB valide ?",
            ],
            "en": [
                "Our transfer bounced back: is the account closed? Please give us your new IBAN.",
                "Our bank rejects your details, can you send valid bank details?",
            ],
            "de": [
                "Unsere Überweisung kam zurück: ist das Konto geschlossen? Bitte nennen Sie uns Ihre neue IBAN.",
                "Unsere Bank lehnt Ihre Daten ab, können Sie uns eine gültige Bankverbindung schicken?",
            ],
            "es": [
                "Nuestra transferencia fue devuelta: ¿la cuenta está cerrada? Indíquennos su nuevo IBAN.",
                "Nuestro banco rechaza sus datos, ¿pueden enviarnos unos datos bancarios válidos?",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pour info, notre société a été rachetée : les factures doivent désormais être adressées à notre maison mère, {email}.",
                "Nous avons fusionné avec une autre entité, merci de mettre à jour notre fiche client.",
            ],
            "en": [
                "For your information, we were acquired: invoices must now go to our parent company, {email}.",
                "We merged with another entity, please update our customer record.",
            ],
            "de": [
                "Zur Info: wir wurden übernommen, Rechnungen gehen jetzt an unsere Muttergesellschaft, {email}.",
                "Wir haben mit einer anderen Gesellschaft fusioniert, bitte aktualisieren Sie unsere Kundendaten.",
            ],
            "es": [
                "Para su información, nos han adquirido: las facturas deben ir ahora a la matriz, {email}.",
                "Nos hemos fusionado con otra entidad, actualicen nuestra ficha de cliente.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Je participe à un salon et ne lirai pas mes mails avant {date}. En cas d'urgence : {phone}.",
                "En formation toute la semaine, je vous réponds {date}.",
            ],
            "en": [
                "I'm at a trade fair and won't read emails before {date}. If urgent: {phone}.",
                "On a training course all week, I'll answer {date}.",
            ],
            "de": [
                "Ich bin auf einer Messe und lese meine Mails erst {date}. Im Notfall: {phone}.",
                "Die ganze Woche auf Schulung, ich antworte {date}.",
            ],
            "es": [
                "Estoy en una feria y no leeré el correo hasta {date}. Urgencias: {phone}.",
                "De formación toda la semana, les respondo {date}.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Plutôt que des mails, un appel à notre standard au {phone} serait bienvenu, demandez le service comptable.",
                "Pouvez-vous faire appeler notre directeur financier ? Il souhaite discuter d'un échéancier.",
            ],
            "en": [
                "Rather than emails, a call to our switchboard on {phone} would be welcome, ask for accounts.",
                "Could someone call our finance director? He wants to discuss a payment plan.",
            ],
            "de": [
                "Statt Mails wäre ein Anruf in unserer Zentrale unter {phone} willkommen, fragen Sie nach der Buchhaltung.",
                "Könnte jemand unseren Finanzleiter anrufen? Er möchte einen Ratenplan besprechen.",
            ],
            "es": [
                "En lugar de correos, agradeceríamos una llamada a la centralita, {phone}, pregunten por contabilidad.",
                "¿Puede alguien llamar a nuestro director financiero? Quiere hablar de un calendario de pagos.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Votre site internet ne fonctionne pas, je n'arrive pas à me connecter à mon espace.",
                "Le lien de votre mail est cassé.",
            ],
            "en": [
                "Your website isn't working, I can't log in to my account.",
                "The link in your email is broken.",
            ],
            "de": [
                "Ihre Website funktioniert nicht, ich kann mich nicht in meinem Konto anmelden.",
                "Der Link in Ihrer Mail ist kaputt.",
            ],
            "es": [
                "Su página web no funciona, no consigo entrar en mi cuenta.",
                "El enlace de su correo no funciona.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous faire une offre pour 500 unités supplémentaires ?",
                "Nous souhaitons recommander le même article, est-il disponible ?",
            ],
            "en": [
                "Can you quote us for 500 more units?",
                "We'd like to reorder the same item, is it in stock?",
            ],
            "de": [
                "Können Sie uns ein Angebot für 500 weitere Stück machen?",
                "Wir möchten denselben Artikel nachbestellen, ist er vorrätig?",
            ],
            "es": [
                "¿Pueden hacernos una oferta para 500 unidades más?",
                "Queremos volver a pedir el mismo artículo, ¿hay existencias?",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Une hausse de 15 % sans préavis sur {inv} ? Ce n'est pas ce qui était convenu, nous refusons ce tarif.",
                "{inv} : le prix au kilo n'est pas celui de la commande.",
            ],
            "en": [
                "A 15% increase without notice on {inv}? That's not what we agreed, we refuse this price.",
                "{inv}: the price per kilo is not the one on the order.",
            ],
            "de": [
                "Eine Erhöhung um 15 % ohne Ankündigung auf {inv}? Das war nicht vereinbart, wir lehnen diesen Preis ab.",
                "{inv}: der Kilopreis entspricht nicht der Bestellung.",
            ],
            "es": [
                "¿Una subida del 15 % sin aviso en {inv}? No es lo acordado, rechazamos este precio.",
                "{inv}: el precio por kilo no es el del pedido.",
            ],
        },
    ),
    (
        "dispute-quantity",
        "dispute",
        "quantity",
        "",
        NONE,
        {
            "fr": [
                "{inv} facture une caisse en trop, le bordereau de réception en atteste.",
                "Erreur de comptage sur {inv}, nous avons compté {q1} cartons.",
            ],
            "en": [
                "{inv} charges one crate too many, our goods-in note shows it.",
                "Counting error on {inv}, we counted {q1} boxes.",
            ],
            "de": [
                "{inv} berechnet eine Kiste zu viel, unser Wareneingangsbeleg zeigt es.",
                "Zählfehler auf {inv}, wir haben {q1} Kartons gezählt.",
            ],
            "es": [
                "{inv} cobra una caja de más, nuestro albarán de recepción lo demuestra.",
                "Error de recuento en {inv}, contamos {q1} cajas.",
            ],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "Le client final nous a retourné les produits de {inv} pour vice caché, nous ne pouvons pas payer.",
                "Peinture qui s'écaille au bout d'une semaine : la prestation {inv} est à reprendre.",
            ],
            "en": [
                "Our end customer returned the products on {inv} for hidden defects, we can't pay.",
                "Paint peeling after a week: the job on {inv} must be redone.",
            ],
            "de": [
                "Unser Endkunde hat die Produkte aus {inv} wegen versteckter Mängel zurückgeschickt, wir können nicht zahlen.",
                "Farbe blättert nach einer Woche ab: die Leistung aus {inv} muss nachgebessert werden.",
            ],
            "es": [
                "Nuestro cliente final devolvió los productos de {inv} por vicios ocultos, no podemos pagar.",
                "La pintura se descascarilla en una semana: hay que rehacer el trabajo de {inv}.",
            ],
        },
    ),
    (
        "dispute-not-received",
        "dispute",
        "not_received",
        "",
        NONE,
        {
            "fr": [
                "La licence facturée sur {inv} ne nous a jamais été activée, nous n'avons pas eu le service.",
                "Les clés d'activation de {inv} ne sont jamais arrivées.",
            ],
            "en": [
                "The licence billed on {inv} was never activated for us, we never had the service.",
                "The activation keys for {inv} never arrived.",
            ],
            "de": [
                "Die auf {inv} berechnete Lizenz wurde für uns nie aktiviert, wir hatten den Dienst nie.",
                "Die Aktivierungsschlüssel zu {inv} sind nie angekommen.",
            ],
            "es": [
                "La licencia facturada en {inv} nunca se nos activó, nunca tuvimos el servicio.",
                "Las claves de activación de {inv} nunca llegaron.",
            ],
        },
    ),
    (
        "dispute-already-paid",
        "dispute",
        "already_paid",
        "",
        NONE,
        {
            "fr": [
                "Vous avez encaissé notre chèque pour {inv} le mois dernier ; votre relance est donc une erreur de saisie chez vous.",
                "Nous refusons de payer deux fois : {inv} figure comme réglée dans vos propres avis.",
            ],
            "en": [
                "You cashed our cheque for {inv} last month, so your reminder is a posting error on your side.",
                "We refuse to pay twice: {inv} shows as paid in your own notices.",
            ],
            "de": [
                "Sie haben unseren Scheck für {inv} letzten Monat eingelöst, Ihre Mahnung ist also ein Buchungsfehler bei Ihnen.",
                "Wir zahlen nicht zweimal: {inv} steht in Ihren eigenen Mitteilungen als bezahlt.",
            ],
            "es": [
                "Cobraron nuestro cheque de {inv} el mes pasado, así que su recordatorio es un error de registro suyo.",
                "No pagaremos dos veces: {inv} figura como pagada en sus propios avisos.",
            ],
        },
    ),
    (
        "dispute-other",
        "dispute",
        "other",
        "",
        NONE,
        {
            "fr": [
                "Cette facture {inv} aurait dû être adressée à notre filiale belge, pas à nous.",
                "Mauvaise entité facturée : {inv} concerne notre établissement de Lille, SIRET différent.",
            ],
            "en": [
                "Invoice {inv} should have gone to our Belgian subsidiary, not to us.",
                "Wrong entity billed: {inv} concerns our Lille branch, different registration.",
            ],
            "de": [
                "Die Rechnung {inv} hätte an unsere belgische Tochter gehen müssen, nicht an uns.",
                "Falsche Gesellschaft berechnet: {inv} betrifft unsere Niederlassung in Köln.",
            ],
            "es": [
                "La factura {inv} debió ir a nuestra filial belga, no a nosotros.",
                "Entidad equivocada: {inv} corresponde a nuestra sede de Valencia, con otro CIF.",
            ],
        },
    ),
]

# A fifth round: more ways in for the smaller intents (a call, a new contact, a document,
# anything else), so that each has as many families as the payment intents.
FAMILIES += [
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je suis disponible demain matin pour en parler au téléphone, appelez-moi.",
                "Je suis joignable cet après-midi, téléphonez-moi pour qu'on règle ça.",
            ],
            "en": [
                "I'm free tomorrow morning to talk it over on the phone, give me a ring.",
                "I can be reached this afternoon, phone me so we can sort this out.",
            ],
            "de": [
                "Ich habe morgen Vormittag Zeit, das telefonisch zu besprechen, rufen Sie mich an.",
                "Ich bin heute Nachmittag erreichbar, rufen Sie an, damit wir das klären.",
            ],
            "es": [
                "Mañana por la mañana puedo hablarlo por teléfono, llámeme.",
                "Estoy localizable esta tarde, llámenme para aclararlo.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Votre message n'est pas clair, j'aimerais qu'un conseiller me téléphone.",
                "Merci de demander à votre chargé de recouvrement de me contacter par téléphone.",
            ],
            "en": [
                "Your message isn't clear, I'd like an adviser to phone me.",
                "Please ask your collections officer to contact me by phone.",
            ],
            "de": [
                "Ihre Nachricht ist unklar, ich möchte, dass mich ein Berater anruft.",
                "Bitte bitten Sie Ihren Sachbearbeiter, mich telefonisch zu kontaktieren.",
            ],
            "es": [
                "Su mensaje no está claro, quisiera que un asesor me llamara.",
                "Pidan a su gestor de cobros que me contacte por teléfono.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci de supprimer mon adresse de vos envois et d'ajouter celle de mon successeur, {name}.",
                "Changement d'interlocuteur chez nous : c'est maintenant {name} qui suit votre compte.",
            ],
            "en": [
                "Please remove my address from your mailings and add my successor's, {name}.",
                "Change of contact on our side: {name} now looks after your account.",
            ],
            "de": [
                "Bitte entfernen Sie meine Adresse aus Ihrem Versand und nehmen Sie die meines Nachfolgers auf, {name}.",
                "Ansprechpartnerwechsel bei uns: {name} betreut jetzt Ihr Konto.",
            ],
            "es": [
                "Eliminen mi dirección de sus envíos y añadan la de mi sucesor, {name}.",
                "Cambio de interlocutor: ahora {name} lleva su cuenta.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Nouveau numéro de téléphone pour la comptabilité : {phone}. L'ancien n'est plus attribué.",
                "Notez notre nouveau standard : {phone}.",
            ],
            "en": [
                "New phone number for accounts: {phone}. The old one is no longer in use.",
                "Please note our new switchboard number: {phone}.",
            ],
            "de": [
                "Neue Telefonnummer der Buchhaltung: {phone}. Die alte ist nicht mehr vergeben.",
                "Bitte notieren Sie unsere neue Zentrale: {phone}.",
            ],
            "es": [
                "Nuevo teléfono de contabilidad: {phone}. El antiguo ya no está en uso.",
                "Anoten nuestra nueva centralita: {phone}.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Pour payer il me faut la facture au nom de notre nouvelle raison sociale, pouvez-vous la rééditer ?",
                "Merci de refaire {inv} avec notre adresse de facturation exacte et de nous la renvoyer.",
            ],
            "en": [
                "To pay I need the invoice in our new company name, can you reissue it?",
                "Please redo {inv} with our exact billing address and send it back.",
            ],
            "de": [
                "Zum Bezahlen brauche ich die Rechnung auf unseren neuen Firmennamen, können Sie sie neu ausstellen?",
                "Bitte stellen Sie {inv} mit unserer korrekten Rechnungsadresse neu aus und senden Sie sie uns.",
            ],
            "es": [
                "Para pagar necesito la factura a nombre de nuestra nueva razón social, ¿pueden reemitirla?",
                "Rehagan {inv} con nuestra dirección de facturación exacta y reenvíenla.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Qui êtes-vous ? Je ne comprends pas ce message.",
                "Est-ce un mail frauduleux ? Je ne connais pas votre entreprise.",
            ],
            "en": [
                "Who are you? I don't understand this message.",
                "Is this a scam email? I don't know your company.",
            ],
            "de": [
                "Wer sind Sie? Ich verstehe diese Nachricht nicht.",
                "Ist das eine betrügerische Mail? Ich kenne Ihre Firma nicht.",
            ],
            "es": [
                "¿Quiénes son ustedes? No entiendo este mensaje.",
                "¿Es un correo fraudulento? No conozco su empresa.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pouvez-vous m'expliquer comment fonctionne votre nouvel espace client ?",
                "Je voudrais modifier mon mot de passe sur votre portail.",
            ],
            "en": [
                "Can you explain how your new customer area works?",
                "I'd like to change my password on your portal.",
            ],
            "de": [
                "Können Sie mir erklären, wie Ihr neuer Kundenbereich funktioniert?",
                "Ich möchte mein Passwort in Ihrem Portal ändern.",
            ],
            "es": [
                "¿Pueden explicarme cómo funciona su nueva área de clientes?",
                "Quisiera cambiar mi contraseña en su portal.",
            ],
        },
    ),
    (
        "ooo",
        "out_of_office",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Merci pour votre message. Je suis en vacances et ne le lirai qu'à mon retour, {date}.",
                "Je suis hors du bureau, retour {date}. Ce message n'est pas transféré.",
            ],
            "en": [
                "Thank you for your message. I'm on vacation and will only read it when I'm back, {date}.",
                "I'm out of the office, back {date}. This message is not forwarded.",
            ],
            "de": [
                "Danke für Ihre Nachricht. Ich bin im Urlaub und lese sie erst nach meiner Rückkehr, {date}.",
                "Ich bin außer Haus, zurück {date}. Diese Nachricht wird nicht weitergeleitet.",
            ],
            "es": [
                "Gracias por su mensaje. Estoy de vacaciones y solo lo leeré a mi vuelta, {date}.",
                "Estoy fuera de la oficina, vuelvo {date}. Este mensaje no se reenvía.",
            ],
        },
    ),
]

# A sixth round: calls asked for in every register, and the answers that ask for nothing.
FAMILIES += [
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Un appel de votre part serait le bienvenu, mon numéro direct est le {phone}.",
                "N'hésitez pas à m'appeler directement, ce sera plus rapide.",
            ],
            "en": [
                "A call from you would be welcome, my direct line is {phone}.",
                "Feel free to call me directly, it will be quicker.",
            ],
            "de": [
                "Ein Anruf von Ihnen wäre willkommen, meine Durchwahl ist {phone}.",
                "Rufen Sie mich gern direkt an, das geht schneller.",
            ],
            "es": [
                "Una llamada suya sería bienvenida, mi línea directa es el {phone}.",
                "No duden en llamarme directamente, será más rápido.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je souhaite être recontacté par téléphone par la personne qui gère notre dossier.",
                "Recontactez-moi par téléphone svp, pas par écrit.",
            ],
            "en": [
                "I'd like the person handling our file to get back to me by phone.",
                "Get back to me by phone please, not in writing.",
            ],
            "de": [
                "Ich möchte von der Person, die unseren Vorgang bearbeitet, telefonisch kontaktiert werden.",
                "Melden Sie sich bitte telefonisch, nicht schriftlich.",
            ],
            "es": [
                "Quiero que la persona que lleva nuestro expediente me contacte por teléfono.",
                "Contácteme por teléfono, por favor, no por escrito.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "On s'appelle ? Je suis au bureau jusqu'à 18 h.",
                "Passez-moi un coup de fil quand vous pouvez.",
            ],
            "en": [
                "Shall we have a quick call? I'm in the office until 6 pm.",
                "Give me a buzz when you can.",
            ],
            "de": [
                "Sollen wir kurz telefonieren? Ich bin bis 18 Uhr im Büro.",
                "Rufen Sie mich kurz an, wenn Sie können.",
            ],
            "es": [
                "¿Hablamos por teléfono? Estoy en la oficina hasta las 18 h.",
                "Hágame una llamada cuando pueda.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Message bien reçu, nous revenons vers vous.",
                "Nous regardons et revenons vers vous.",
            ],
            "en": [
                "Message received, we'll get back to you.",
                "We're looking into it and will come back to you.",
            ],
            "de": [
                "Nachricht erhalten, wir melden uns.",
                "Wir schauen es uns an und melden uns wieder.",
            ],
            "es": [
                "Mensaje recibido, les respondemos en breve.",
                "Lo revisamos y volvemos a contactarles.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Votre newsletter de ce mois était très intéressante, merci.",
                "Bravo pour le salon de la semaine dernière, stand très réussi.",
            ],
            "en": [
                "Your newsletter this month was very interesting, thanks.",
                "Congratulations on last week's trade show, great stand.",
            ],
            "de": [
                "Ihr Newsletter diesen Monat war sehr interessant, danke.",
                "Glückwunsch zur Messe letzte Woche, sehr gelungener Stand.",
            ],
            "es": [
                "Su boletín de este mes fue muy interesante, gracias.",
                "Enhorabuena por la feria de la semana pasada, estupendo stand.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous envoyer vos conditions générales de vente à jour ?",
                "Avez-vous un certificat ISO à jour à nous transmettre pour notre audit fournisseurs ?",
            ],
            "en": [
                "Can you send us your current terms and conditions of sale?",
                "Do you have an up-to-date ISO certificate for our supplier audit?",
            ],
            "de": [
                "Können Sie uns Ihre aktuellen Allgemeinen Geschäftsbedingungen senden?",
                "Haben Sie ein aktuelles ISO-Zertifikat für unser Lieferantenaudit?",
            ],
            "es": [
                "¿Pueden enviarnos sus condiciones generales de venta actualizadas?",
                "¿Tienen un certificado ISO vigente para nuestra auditoría de proveedores?",
            ],
        },
    ),
    (
        "copy-statement",
        "copy_request",
        "",
        "statement",
        NONE,
        {
            "fr": [
                "Pourriez-vous nous adresser un état des factures échues et non échues ?",
                "Merci de nous faire parvenir la balance âgée de notre compte.",
            ],
            "en": [
                "Could you send us a list of overdue and not yet due invoices?",
                "Please send us the aged balance of our account.",
            ],
            "de": [
                "Könnten Sie uns eine Liste der fälligen und noch nicht fälligen Rechnungen senden?",
                "Bitte senden Sie uns die Altersstruktur unseres Kontos.",
            ],
            "es": [
                "¿Podrían enviarnos una relación de facturas vencidas y no vencidas?",
                "Envíennos el saldo por antigüedad de nuestra cuenta, por favor.",
            ],
        },
    ),
    (
        "copy-po",
        "copy_request",
        "",
        "purchase_order",
        NONE,
        {
            "fr": [
                "Notre système rejette {inv} faute de rapprochement avec une commande : merci de nous transmettre la commande correspondante.",
                "Sans copie de la commande, {inv} restera bloquée chez nous.",
            ],
            "en": [
                "Our system rejects {inv} because it matches no order: please send us the matching order.",
                "Without a copy of the order, {inv} will stay blocked on our side.",
            ],
            "de": [
                "Unser System lehnt {inv} ab, weil keine Bestellung passt: bitte senden Sie uns die zugehörige Bestellung.",
                "Ohne Kopie der Bestellung bleibt {inv} bei uns blockiert.",
            ],
            "es": [
                "Nuestro sistema rechaza {inv} porque no casa con ningún pedido: envíennos el pedido correspondiente.",
                "Sin copia del pedido, {inv} seguirá bloqueada.",
            ],
        },
    ),
]

# A seventh round: payments and promises told in passing, requests for documents in a
# sentence, disputes as complaints.
FAMILIES += [
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Pour votre information, le paiement de {inv} a été passé {date} par notre service trésorerie.",
                "Nous vous signalons que {invs} ont été payées {date}.",
            ],
            "en": [
                "For your information, payment of {inv} was processed {date} by our treasury.",
                "Just to let you know {invs} were paid {date}.",
            ],
            "de": [
                "Zu Ihrer Information: die Zahlung von {inv} wurde {date} von unserer Treasury veranlasst.",
                "Nur zur Info: {invs} wurden {date} bezahlt.",
            ],
            "es": [
                "Para su información, el pago de {inv} lo tramitó tesorería {date}.",
                "Les informamos de que {invs} se pagaron {date}.",
            ],
        },
    ),
    (
        "payment",
        "payment_made",
        "",
        "",
        PAST,
        {
            "fr": [
                "Voici la preuve de virement de {date}, l'argent est bien parti de chez nous.",
                "Capture d'écran de notre banque en pièce jointe : ordre exécuté {date}.",
            ],
            "en": [
                "Here is the proof of the transfer of {date}, the money did leave our account.",
                "Screenshot from our bank attached: order executed {date}.",
            ],
            "de": [
                "Hier der Überweisungsnachweis vom {date}, das Geld hat unser Konto verlassen.",
                "Screenshot unserer Bank anbei: Auftrag {date} ausgeführt.",
            ],
            "es": [
                "Aquí tienen el justificante de la transferencia {date}, el dinero salió de nuestra cuenta.",
                "Captura del banco adjunta: orden ejecutada {date}.",
            ],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": ["Pas de souci, c'est prévu pour {date}.", "Ce sera fait {date}, promis."],
            "en": ["No problem, it's planned for {date}.", "It'll be done {date}, promise."],
            "de": [
                "Kein Problem, ist für {date} eingeplant.",
                "Wird {date} erledigt, versprochen.",
            ],
            "es": ["Sin problema, está previsto para {date}.", "Estará hecho {date}, prometido."],
        },
    ),
    (
        "promise",
        "promise",
        "",
        "",
        FUTURE,
        {
            "fr": [
                "Nous attendons le déblocage de notre prêt bancaire ; le règlement suivra {date}.",
                "Dès réception de la subvention, attendue {date}, nous vous réglons.",
            ],
            "en": [
                "We're waiting for our bank loan to be released; payment will follow {date}.",
                "As soon as the grant arrives, expected {date}, we'll pay you.",
            ],
            "de": [
                "Wir warten auf die Auszahlung unseres Bankkredits; die Zahlung folgt {date}.",
                "Sobald der Zuschuss eintrifft, erwartet {date}, bezahlen wir Sie.",
            ],
            "es": [
                "Esperamos el desembolso de nuestro préstamo; el pago seguirá {date}.",
                "En cuanto llegue la subvención, prevista {date}, les pagamos.",
            ],
        },
    ),
    (
        "copy-invoice",
        "copy_request",
        "",
        "invoice",
        NONE,
        {
            "fr": [
                "Pouvez-vous nous envoyer toutes les factures de l'année en un seul PDF ?",
                "Il nous manque plusieurs factures dont {inv}, merci de nous les renvoyer.",
            ],
            "en": [
                "Can you send us all of this year's invoices in one PDF?",
                "We're missing several invoices including {inv}, please resend them.",
            ],
            "de": [
                "Können Sie uns alle Rechnungen des Jahres in einem PDF schicken?",
                "Uns fehlen mehrere Rechnungen, darunter {inv}, bitte schicken Sie sie erneut.",
            ],
            "es": [
                "¿Pueden enviarnos todas las facturas del año en un solo PDF?",
                "Nos faltan varias facturas, entre ellas {inv}, reenvíenlas por favor.",
            ],
        },
    ),
    (
        "copy-bank",
        "copy_request",
        "",
        "bank_details",
        NONE,
        {
            "fr": [
                "Avant tout paiement, nous devons vérifier votre IBAN par un appel de contre-vérification : merci de nous transmettre une attestation bancaire.",
                "Votre IBAN sur la facture ne correspond pas à celui de notre fichier, lequel est le bon ?",
            ],
            "en": [
                "Before any payment we must verify your IBAN: please send us a bank confirmation letter.",
                "The IBAN on your invoice doesn't match the one on file, which one is right?",
            ],
            "de": [
                "Vor jeder Zahlung müssen wir Ihre IBAN prüfen: bitte senden Sie uns eine Bankbestätigung.",
                "Die IBAN auf Ihrer Rechnung stimmt nicht mit unserer Kartei überein, welche ist richtig?",
            ],
            "es": [
                "Antes de pagar debemos verificar su IBAN: envíennos un certificado bancario.",
                "El IBAN de su factura no coincide con el de nuestro fichero, ¿cuál es el correcto?",
            ],
        },
    ),
    (
        "dispute-quality",
        "dispute",
        "quality",
        "",
        NONE,
        {
            "fr": [
                "Très déçus de la qualité : la moitié des articles de {inv} sont inutilisables.",
                "Le produit ne fonctionne pas comme annoncé, nous demandons un avoir sur {inv}.",
            ],
            "en": [
                "Very disappointed with the quality: half the items on {inv} are unusable.",
                "The product doesn't work as advertised, we want a credit note on {inv}.",
            ],
            "de": [
                "Sehr enttäuscht von der Qualität: die Hälfte der Artikel aus {inv} ist unbrauchbar.",
                "Das Produkt funktioniert nicht wie beworben, wir verlangen eine Gutschrift zu {inv}.",
            ],
            "es": [
                "Muy decepcionados con la calidad: la mitad de los artículos de {inv} no sirven.",
                "El producto no funciona como se anunciaba, pedimos un abono sobre {inv}.",
            ],
        },
    ),
    (
        "dispute-price",
        "dispute",
        "price",
        "",
        NONE,
        {
            "fr": [
                "Le montant de {inv} ({amount}) ne correspond pas au devis signé, merci de corriger.",
                "Votre devis disait {amount}, la facture {inv} dit autre chose.",
            ],
            "en": [
                "The amount on {inv} ({amount}) doesn't match the signed quote, please correct it.",
                "Your quote said {amount}, invoice {inv} says something else.",
            ],
            "de": [
                "Der Betrag auf {inv} ({amount}) entspricht nicht dem unterschriebenen Angebot, bitte korrigieren.",
                "Ihr Angebot lautete {amount}, die Rechnung {inv} sagt etwas anderes.",
            ],
            "es": [
                "El importe de {inv} ({amount}) no coincide con el presupuesto firmado, corríjanlo.",
                "Su presupuesto decía {amount}, la factura {inv} dice otra cosa.",
            ],
        },
    ),
]

# An eighth round: calls and small talk again (the weakest intents), and contacts.
FAMILIES += [
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je préfère régler ça de vive voix : appelez le service comptable, poste 214.",
                "Vous pouvez me joindre sur mon fixe, rappelez-moi pour convenir d'une solution.",
            ],
            "en": [
                "I'd rather settle this by voice: call accounts, extension 214.",
                "You can reach me on my landline, call me back so we can agree on a solution.",
            ],
            "de": [
                "Das kläre ich lieber mündlich: rufen Sie die Buchhaltung an, Durchwahl 214.",
                "Sie erreichen mich im Festnetz, rufen Sie zurück, damit wir eine Lösung finden.",
            ],
            "es": [
                "Prefiero hablarlo de viva voz: llamen a contabilidad, extensión 214.",
                "Pueden localizarme en el fijo, llámenme para acordar una solución.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Mon responsable aimerait un entretien téléphonique avec vous cette semaine.",
                "Pouvons-nous fixer un rendez-vous téléphonique avec votre service ?",
            ],
            "en": [
                "My manager would like a phone meeting with you this week.",
                "Can we book a phone appointment with your team?",
            ],
            "de": [
                "Mein Vorgesetzter hätte diese Woche gern ein Telefongespräch mit Ihnen.",
                "Können wir einen Telefontermin mit Ihrer Abteilung vereinbaren?",
            ],
            "es": [
                "Mi responsable querría una reunión telefónica con ustedes esta semana.",
                "¿Podemos fijar una cita telefónica con su departamento?",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Nous déménageons nos entrepôts le mois prochain, prévoyez un délai pour les livraisons.",
                "Nos horaires de réception des marchandises changent à partir de lundi.",
            ],
            "en": [
                "We're moving our warehouses next month, allow extra time for deliveries.",
                "Our goods-in hours change from Monday.",
            ],
            "de": [
                "Wir ziehen nächsten Monat mit unseren Lagern um, planen Sie mehr Zeit für Lieferungen ein.",
                "Unsere Warenannahmezeiten ändern sich ab Montag.",
            ],
            "es": [
                "Trasladamos nuestros almacenes el mes que viene, cuenten con más plazo para las entregas.",
                "Nuestro horario de recepción de mercancía cambia a partir del lunes.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Vous avez envoyé ce message à la mauvaise adresse, je travaille dans une école.",
                "Erreur de destinataire je pense, je suis un particulier.",
            ],
            "en": [
                "You sent this to the wrong address, I work at a school.",
                "Wrong recipient I think, I'm a private individual.",
            ],
            "de": [
                "Sie haben das an die falsche Adresse geschickt, ich arbeite an einer Schule.",
                "Falscher Empfänger, glaube ich, ich bin Privatperson.",
            ],
            "es": [
                "Han enviado esto a la dirección equivocada, trabajo en un colegio.",
                "Creo que se equivocaron de destinatario, soy un particular.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci d'ajouter {email} en copie de toutes vos relances à l'avenir.",
                "Mettez aussi notre directeur financier en copie : {email}.",
            ],
            "en": [
                "Please copy {email} on all your reminders from now on.",
                "Please also copy our finance director: {email}.",
            ],
            "de": [
                "Bitte setzen Sie künftig {email} bei allen Mahnungen in Kopie.",
                "Bitte setzen Sie auch unseren Finanzleiter in Kopie: {email}.",
            ],
            "es": [
                "Pongan en copia a {email} en todos sus recordatorios a partir de ahora.",
                "Pongan también en copia a nuestro director financiero: {email}.",
            ],
        },
    ),
]

# A ninth round, written before measuring it, on the intents weakest across the three
# family folds (docs/assistant.md): what a reply says about the reminders themselves
# (other), calls asked for in other words (callback), and where mail should go (contact).
FAMILIES += [
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci d'envoyer vos rappels uniquement par email, pas par courrier.",
                "Pourriez-vous arrêter les SMS ? Un email suffit largement.",
            ],
            "en": [
                "Please send your reminders by email only, not by post.",
                "Could you stop the text messages? An email is plenty.",
            ],
            "de": [
                "Bitte schicken Sie Ihre Erinnerungen nur per E-Mail, nicht per Post.",
                "Könnten Sie die SMS einstellen? Eine E-Mail genügt völlig.",
            ],
            "es": [
                "Por favor, envíen sus recordatorios solo por email, no por correo postal.",
                "¿Podrían dejar de mandar SMS? Con un email basta.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Votre chauffeur a bloqué notre parking ce matin, merci de lui en parler.",
                "Le livreur a laissé les palettes devant la mauvaise porte, c'est la deuxième fois.",
            ],
            "en": [
                "Your driver blocked our car park this morning, please have a word with him.",
                "The courier left the pallets at the wrong door, that's the second time.",
            ],
            "de": [
                "Ihr Fahrer hat heute Morgen unseren Parkplatz blockiert, bitte sprechen Sie mit ihm.",
                "Der Kurier hat die Paletten vor dem falschen Tor abgestellt, schon zum zweiten Mal.",
            ],
            "es": [
                "Su conductor bloqueó nuestro aparcamiento esta mañana, hablen con él por favor.",
                "El repartidor dejó los palés en la puerta equivocada, ya es la segunda vez.",
            ],
        },
    ),
    (
        "other",
        "other",
        "",
        "",
        NONE,
        {
            "fr": [
                "Nous organisons une journée fournisseurs au printemps, seriez-vous intéressés ?",
                "Votre commercial peut-il passer nous présenter la nouvelle gamme ?",
            ],
            "en": [
                "We're holding a supplier day in the spring, would you be interested?",
                "Could your sales rep drop by to show us the new range?",
            ],
            "de": [
                "Wir veranstalten im Frühjahr einen Lieferantentag, hätten Sie Interesse?",
                "Könnte Ihr Außendienst vorbeikommen und uns das neue Sortiment zeigen?",
            ],
            "es": [
                "Organizamos una jornada de proveedores en primavera, ¿les interesaría?",
                "¿Podría pasar su comercial a presentarnos la nueva gama?",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Merci de demander à {name} de me rappeler au sujet de votre relance, au {phone}.",
                "Que {name} me passe un coup de fil, je préfère en parler de vive voix.",
            ],
            "en": [
                "Please ask {name} to call me back about your reminder, on {phone}.",
                "Have {name} give me a ring, I'd rather talk it through in person.",
            ],
            "de": [
                "Bitte richten Sie {name} aus, mich wegen Ihrer Mahnung unter {phone} zurückzurufen.",
                "{name} soll mich bitte anrufen, ich bespreche das lieber persönlich.",
            ],
            "es": [
                "Pidan a {name} que me devuelva la llamada por su recordatorio, al {phone}.",
                "Que {name} me llame, prefiero hablarlo de viva voz.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Pouvons-nous faire un point en visio (Teams ou Zoom) sur notre compte ?",
                "Je vous propose un échange en visioconférence pour régler ce dossier.",
            ],
            "en": [
                "Can we have a video call (Teams or Zoom) about our account?",
                "I suggest a quick video meeting to settle this file.",
            ],
            "de": [
                "Können wir per Videocall (Teams oder Zoom) über unser Konto sprechen?",
                "Ich schlage eine kurze Videokonferenz vor, um die Sache zu klären.",
            ],
            "es": [
                "¿Podemos hacer una videollamada (Teams o Zoom) sobre nuestra cuenta?",
                "Les propongo una breve videoconferencia para resolver este asunto.",
            ],
        },
    ),
    (
        "callback",
        "callback",
        "",
        "",
        NONE,
        {
            "fr": [
                "Je n'arrive pas à joindre votre service, quelqu'un peut-il m'appeler ?",
                "Votre standard ne répond jamais, merci de me téléphoner.",
            ],
            "en": [
                "I can't get through to your department, could somebody phone me?",
                "Your switchboard never answers, please ring me.",
            ],
            "de": [
                "Ich erreiche Ihre Abteilung nicht, kann mich jemand anrufen?",
                "Ihre Zentrale geht nie ran, bitte rufen Sie mich an.",
            ],
            "es": [
                "No consigo contactar con su departamento, ¿alguien podría llamarme?",
                "Su centralita nunca contesta, llámenme por favor.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Adressez désormais vos relances à notre service achats plutôt qu'à moi : {email}.",
                "Ce n'est plus moi qui reçois les relances, écrivez à {email}.",
            ],
            "en": [
                "Please address your reminders to our purchasing department rather than me: {email}.",
                "I no longer receive the reminders, write to {email} instead.",
            ],
            "de": [
                "Bitte richten Sie Ihre Mahnungen künftig an unseren Einkauf statt an mich: {email}.",
                "Ich erhalte die Mahnungen nicht mehr, schreiben Sie bitte an {email}.",
            ],
            "es": [
                "Dirijan sus recordatorios a nuestro departamento de compras en lugar de a mí: {email}.",
                "Ya no soy yo quien recibe los recordatorios, escriban a {email}.",
            ],
        },
    ),
    (
        "contact",
        "contact_change",
        "",
        "",
        NONE,
        {
            "fr": [
                "Nos factures doivent maintenant passer par notre plateforme de dématérialisation : {email}.",
                "Nouvelle adresse de réception des factures et relances : {email}, l'ancienne est fermée.",
            ],
            "en": [
                "Our invoices must now go through our e-invoicing platform: {email}.",
                "New address for invoices and reminders: {email}, the old one is closed.",
            ],
            "de": [
                "Unsere Rechnungen laufen jetzt über unsere E-Rechnungsplattform: {email}.",
                "Neue Adresse für Rechnungen und Mahnungen: {email}, die alte ist geschlossen.",
            ],
            "es": [
                "Nuestras facturas deben pasar ahora por nuestra plataforma de facturación electrónica: {email}.",
                "Nueva dirección para facturas y recordatorios: {email}, la antigua está cerrada.",
            ],
        },
    ),
]
