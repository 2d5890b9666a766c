"""Frame signal lexicons, written for this project from the codebook's frame table.

They are features (counts), never rules: the classifier learns how much each is worth.
Words are stemmed with the same Snowball stemmer as the n-grams before matching.
"""

from __future__ import annotations

FRAME_SIGNALS: dict[str, str] = {
    "cooperation": """
        cooperation cooperate collaborate collaboration partnership partner partners ally
        allies alliance friendship friend agreement agree treaty accord pact memorandum
        dialogue talks negotiate negotiation mutual joint jointly together bilateral
        multilateral trade investment invest exchange ties relations coordinate coordination
        commission forum summit deal signed sign support assist assistance aid help
        solidarity unity unite shared common neighbourly neighborly goodwill reconcile
        reconciliation peace peaceful integration connect corridor pipeline railway project
        projects programme program framework strengthen deepen expand boost growth grew
        welcome welcomed praise praised hail thanked thank constructive productive fruitful
        friendly brotherly brother brotherhood heritage kinship harmony consensus compromise
        mediate mediation ceasefire truce swap cooperative contribute contribution donate
        donation grant provide provided deliver delivered extradite extradited hand handed
        return returned release released lift lifted resume resumed restore restored reopen
        reopened share shared host hosted visit visited meet met accept accepted ready
        willing offer offered pledge pledged aid relief humanitarian reunification
        normalise normalize rapprochement thaw""",
    "blame": """
        blame blamed accuse accused accusation condemn condemned denounce denounced criticise
        criticize criticised criticized criticism attack attacked responsible responsibility
        fault guilty interference interfere meddling meddle provoke provocation provocative
        aggression aggressive hostile violation violate violated illegal unlawful crime
        crimes abuse abuses destabilise destabilize discredit propaganda lie lies lying
        disinformation smear campaign sabotage threat threaten threatened coerce coercion
        blackmail exploit exploitation plunder corrupt corruption negligence failed failure
        betray betrayal hypocrisy hypocritical outrageous unacceptable irresponsible reckless
        foreign forces outside inspired orchestrated manipulate manipulation tendentious
        slander slam slammed lambast deplore deplored decry decried protest warned warn
        sanction sanctions punish punishment retaliation occupying occupation suspend
        suspended halt halted expel expelled ban banned seize seized arrest arrested raid
        clash clashes strike strikes kill killed shelling bombard bombarded invade invasion
        boycott""",
    "nationalism": """
        nation national nationalism nationalist nationalists patriot patriotic patriotism
        sovereign sovereignty homeland motherland fatherland ethnic ethnicity identity
        language languages mother tongue native heritage culture cultural tradition
        traditions ancestors ancestral diaspora minority minorities compatriots kin
        people peoples xenophobia xenophobic racism racist chauvinism chauvinist russophobia
        russophobic separatist separatism independence flag anthem pride proud greatness
        glory honour honor dignity humiliation humiliate identity assimilation
        assimilate indigenous tribe tribal clan citizens citizenship passport script
        alphabet history historic historical memory monument monuments martyrs hero heroes
        leader nation's our own blood soil territory territorial integrity insult
        speaking speakers community communities""",
}

VAGUE_SOURCES = frozenset(
    """critics sources source observers analysts experts officials residents activists
    some many others insiders commentators people diplomats witnesses""".split()
)

NEGATORS = frozenset("not no never n't nor neither without none nobody nothing cannot".split())
DENIAL_WORDS = frozenset(
    """deny denies denied denying reject rejects rejected rejecting dismiss dismissed
    refute refuted rebut rebutted false baseless unfounded groundless""".split()
)
