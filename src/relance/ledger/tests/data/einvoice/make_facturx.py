"""Rebuild factur-x.pdf (a Factur-X invoice: a PDF/A-3 with factur-x.xml inside) and
plain.pdf (the same invoice without its XML): the visible invoice is rendered from HTML
with WeasyPrint, then the `factur-x` library embeds factur-x.xml, checked against its XSD.

    .venv/bin/python src/relance/ledger/tests/data/einvoice/make_facturx.py
"""

from pathlib import Path

from facturx import generate_from_binary
from weasyprint import HTML

HERE = Path(__file__).parent
INVOICE = """
<html lang="fr"><head><meta charset="utf-8"><style>
  html { font-family: DejaVu Sans, sans-serif; font-size: 10pt; }
  h1 { font-size: 16pt; } table { border-collapse: collapse; width: 100%; }
  td, th { border-bottom: 1px solid #ccc; padding: 4pt; text-align: left; }
  .amount { text-align: right; }
</style></head><body>
  <p><strong>Acme France</strong><br>10 rue de la Paix, 75008 Paris<br>
     SIREN 732 829 320 · TVA FR44732829320</p>
  <h1>Facture FA2026-0201</h1>
  <p>Date : 02/11/2026 · Échéance : 02/12/2026</p>
  <p>Client C002 : <strong>Hôtel du Lac</strong><br>3 quai de la Tournette, 74000 Annecy</p>
  <table>
    <tr><th>Désignation</th><th class="amount">Montant HT</th></tr>
    <tr><td>Entretien des fours, novembre 2026</td><td class="amount">1 000,00 €</td></tr>
    <tr><td>TVA 20 %</td><td class="amount">200,00 €</td></tr>
    <tr><th>Total TTC à payer</th><th class="amount">1 200,00 €</th></tr>
  </table>
</body></html>
"""


def main() -> None:
    plain = HTML(string=INVOICE).write_pdf(pdf_variant="pdf/a-3b")
    (HERE / "plain.pdf").write_bytes(plain)
    xml = (HERE / "factur-x.xml").read_bytes()
    facturx = generate_from_binary(
        plain, xml, flavor="factur-x", level="en16931", check_xsd=True, lang="fr-FR"
    )
    (HERE / "factur-x.pdf").write_bytes(facturx)


if __name__ == "__main__":
    main()
