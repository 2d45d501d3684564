"""Messages the loop test sends to the assistant: written for it, not copied from the
training data or the held-out tests."""

from __future__ import annotations

# Spanish questions about country risk: the small project has no Spanish country_risk
# examples, so reviewing these should improve Spanish.
SPANISH_COUNTRY_RISK = (
    "¿Qué tan estable es la situación política en Kenia?",
    "¿Hay peligro de devaluación de la moneda en Argentina?",
    "Me preocupa la seguridad en Nigeria para nuestros técnicos",
    "¿Cuál es el riesgo país de Pakistán en este momento?",
    "¿Es arriesgado invertir en Etiopía con la inflación que tienen?",
    "¿Ha habido protestas o disturbios recientes en Bolivia?",
    "riesgos ambientales de abrir una planta en Indonesia",
    "¿Qué tanta corrupción hay en el entorno de negocios de Myanmar?",
    "¿Existe riesgo de expropiación para empresas extranjeras en Venezuela?",
    "¿Cómo está la seguridad jurídica en Ecuador para inversores de fuera?",
    "¿Es peligroso mandar personal a Mali?",
    "nivel de riesgo político en Egipto este año",
)

# English requests for financing: labelling them `greet` is the reviewer's mistake that
# the gate must catch.
ENGLISH_FINANCING = (
    "which banks lend to small exporters selling to Africa",
    "we need money to build a warehouse in Poland, who could lend it",
    "is there a state fund that co-invests with SMEs abroad",
    "how do we get credit insurance for a buyer in Chile",
    "looking for a loan of 3 million dollars for a plant in Vietnam",
    "can a policy bank finance our hydropower project in Laos",
    "any subsidies for companies exporting machinery to Uzbekistan",
    "who offers supply chain finance for shipments to Turkey",
    "need a bank guarantee for a tender in Tanzania",
    "what funding is there for a textile mill in Bangladesh",
    "could we get export credit for trucks sold to Mongolia",
    "how to raise capital for a mine in Zambia",
)
