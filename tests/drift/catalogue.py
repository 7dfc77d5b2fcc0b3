"""What the drift simulator may say on a redrawn page: our own wordings, per language.

Written here, by us, as an independent author of the real site might word things: the setting's
name drifted *within its meaning* (synonyms, punctuation, accents dropped, ’ vs ', other word
order), settings with similar wording whose change would be harmful (decoys), "not available"
notices, and the words of cookie banners, promos and tours. Nothing here is read by the tool.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt")


@dataclass(frozen=True)
class Setting:
    """One LinkedIn setting page the simulator redraws."""

    flow: str
    key: str
    path: str
    title: dict[str, str]
    labels: dict[str, list[str]]
    """Language -> wordings of the switch's name that keep its meaning (first: today's)."""
    question: dict[str, str] = field(default_factory=dict)
    site: str = "linkedin"
    back: str = "/mypreferences/d/categories/privacy"
    """The settings list the page links back to (and a not-offered setting redirects to)."""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in LANGUAGES if lang in self.labels)


AI = Setting(
    flow="linkedin.data-for-ai-improvement",
    key="allowDataForGenerativeAI",
    path="/mypreferences/d/settings/data-for-ai-improvement",
    title={
        "en": "Data for Generative AI Improvement",
        "fr": "Données pour l’amélioration de l’IA générative",
        "de": "Daten zur Verbesserung generativer KI",
        "es": "Datos para mejorar la IA generativa",
        "it": "Dati per migliorare l’IA generativa",
        "nl": "Gegevens voor verbetering van generatieve AI",
        "pt": "Dados para aprimoramento da IA generativa",
    },
    labels={
        "en": [
            "Use my data for training content creation AI models",
            "Use my data to train content-creation AI models",
            "Use my data for training AI models that create content",
            "Use my data for training content creation AI models.",
            "Use my data for training content-generating AI models",
            "Use my personal data to train AI models that generate content",
        ],
        "fr": [
            "Utiliser mes données pour entraîner des modèles d’IA de création de contenu",
            "Utiliser mes donnees pour entrainer des modeles d'IA de creation de contenu",
            "Utiliser mes données pour l’entraînement des modèles d’IA de création de contenu",
            "Utiliser mes données pour entraîner les modèles d’IA qui créent du contenu",
        ],
        "de": [
            "Meine Daten für das Training von KI-Modellen zur Erstellung von Inhalten verwenden",
            "Meine Daten zum Trainieren von KI-Modellen für die Inhaltserstellung verwenden",
            "Meine Daten für das Training von KI‑Modellen zur Inhaltserstellung nutzen",
        ],
        "es": [
            "Usar mis datos para entrenar modelos de IA de creación de contenido",
            "Utilizar mis datos para entrenar modelos de IA que crean contenido",
            "Usar mis datos para el entrenamiento de modelos de IA de creación de contenido",
            "Usar mis datos para entrenar modelos de IA que generan contenido.",
        ],
        "it": [
            "Usa i miei dati per addestrare modelli di IA per la creazione di contenuti",
            "Utilizza i miei dati per l’addestramento dei modelli di IA che creano contenuti",
            "Usa i miei dati per l'addestramento di modelli IA per la creazione di contenuti",
        ],
        "nl": [
            "Mijn gegevens gebruiken om AI-modellen voor het maken van content te trainen",
            "Mijn gegevens gebruiken voor het trainen van AI-modellen die content maken",
            "Gebruik mijn gegevens voor training van AI-modellen die content genereren",
        ],
        "pt": [
            "Usar meus dados para treinar modelos de IA de criação de conteúdo",
            "Usar os meus dados para treinar modelos de IA que criam conteúdo",
            "Usar meus dados no treinamento de modelos de IA para criação de conteúdo",
        ],
    },
    question={
        "en": "Can LinkedIn use your personal data and the content you create to train AI models that generate content?",
        "fr": "LinkedIn peut-il utiliser vos données et vos contenus pour entraîner des modèles d’IA qui génèrent du contenu ?",
        "de": "Darf LinkedIn Ihre Daten und Inhalte verwenden, um KI-Modelle zu trainieren, die Inhalte erstellen?",
        "es": "¿Puede LinkedIn usar tus datos y el contenido que creas para entrenar modelos de IA que generan contenido?",
        "it": "LinkedIn può usare i tuoi dati e i tuoi contenuti per addestrare modelli di IA che creano contenuti?",
        "nl": "Mag LinkedIn je gegevens en content gebruiken om AI-modellen te trainen die content maken?",
        "pt": "O LinkedIn pode usar seus dados e o conteúdo que você cria para treinar modelos de IA que criam conteúdo?",
    },
)


def _en(flow: str, key: str, slug: str, title: str, labels: list[str], question: str) -> Setting:
    return Setting(
        flow=f"linkedin.{flow}",
        key=key,
        path=f"/mypreferences/d/settings/{slug}",
        title={"en": title},
        labels={"en": labels},
        question={"en": question},
    )


# The other LinkedIn setting pages with a switch of their own (English only: their wording in other
# languages is unknown to us, so the simulator does not invent it).
OTHERS = (
    _en(
        "policy-and-academic-research",
        "allowAnonymizedDataResearch",
        "policy-and-academic-research",
        "Social, economic, and workplace research",
        [
            "Use my data for social, economic and workplace research",
            "Use my data for social, economic, and workplace research.",
            "Allow my data to be used for social, economic and workplace research",
        ],
        "Can LinkedIn use your data for social, economic and workplace research?",
    ),
    _en(
        "share-data-with-select-partners",
        "shareDataWithTrustedPartners",
        "share-data-with-select-partners",
        "Share data with affiliates and partners",
        [
            "Share my data with LinkedIn's affiliates and select partners",
            "Share my data with LinkedIn’s affiliates and selected partners",
        ],
        "Can LinkedIn share your data with its affiliates and select partners?",
    ),
    _en(
        "ads-by-age",
        "allowAdsByAge",
        "ads-by-age",
        "Ads by inferred age",
        ["Use my inferred age to show me ads", "Show me ads based on my inferred age"],
        "Can LinkedIn use the age range it infers about you to show you ads?",
    ),
    _en(
        "ads-by-gender",
        "allowAdsByGender",
        "ads-by-gender",
        "Ads by inferred gender",
        ["Use my inferred gender to show me ads", "Show me ads based on my inferred gender"],
        "Can LinkedIn use the gender it infers about you to show you ads?",
    ),
    _en(
        "ads-inferred-location",
        "allowIpToPersonalizeAds",
        "ads-inferred-location",
        "Inferred city location",
        ["Use my inferred city location to show me ads", "Show me ads based on my inferred city"],
        "Can LinkedIn use the city it infers from your IP address to show you ads?",
    ),
    _en(
        "ads-beyond-linkedin",
        "allowLinkedInAudienceNetwork",
        "ads-beyond-linkedin",
        "Ads beyond LinkedIn",
        [
            "Show me ads on partner apps and websites based on my LinkedIn data",
            "Use my LinkedIn data to show me ads on other apps and websites",
        ],
        "Can LinkedIn use your data to show you ads on other apps and websites?",
    ),
    _en(
        "ads-interactions-with-business",
        "allowUseOfThirdPartyData",
        "ads-interactions-with-business",
        "Interactions with businesses",
        [
            "Use data from businesses I have interacted with to show me ads",
            "Show me ads using data from businesses I’ve interacted with",
        ],
        "Can LinkedIn use data that advertisers share about you to show you ads?",
    ),
    _en(
        "ads-related-actions",
        "allowConversionTrackings",
        "ads-related-actions",
        "Ad-related actions",
        ["Use my actions after seeing an ad to measure its success", "Measure ad success with my actions"],
        "Can LinkedIn use what you do after seeing an ad to measure how well ads work?",
    ),
)

# X's Grok page (English and French: the languages our X flow has seen). X marks its checkboxes with
# aria-describedby="CHECKBOX_<n>_LABEL" by position, so the personalisation decoy before the training
# box takes CHECKBOX_1_LABEL: the redraw keeps that convention (see page.py).
GROK = Setting(
    flow="x.grok-training",
    key="allowGrokTraining",
    path="/settings/grok_settings",
    title={"en": "Grok & Third-party Collaborators", "fr": "Grok et collaborateurs tiers"},
    labels={
        "en": [
            "Allow your public data as well as your interactions, inputs, and results with Grok and xAI to be used for training and fine-tuning",
            "Allow your posts as well as your interactions, inputs, and results with Grok to be used for training and fine-tuning",
            "Allow your public data and your Grok interactions to be used for training and fine‑tuning.",
            "Let your public posts and your interactions with Grok be used to train and fine-tune Grok",
        ],
        "fr": [
            "Autoriser l’utilisation de vos données publiques ainsi que de vos interactions, entrées et résultats avec Grok et xAI pour l’entraînement et l’ajustement",
            "Autoriser vos posts ainsi que vos interactions avec Grok à être utilisés pour l'entraînement et l'ajustement",
        ],
    },
    question={
        "en": "Your data may be shared with xAI and used to train and improve its models.",
        "fr": "Vos données peuvent être partagées avec xAI et utilisées pour entraîner ses modèles.",
    },
    site="x",
    back="/settings/privacy_and_safety",
)

# ChatGPT's model-improvement dialog (English: the only wording our flow knows). The toggles beside it
# are INFERRED (settings a dialog about training could hold; not a recorded fact, docs/evidence/chatgpt.md).
CHATGPT = Setting(
    flow="chatgpt.improve-model",
    key="improveModelForEveryone",
    path="/",
    title={"en": "Model improvement"},
    labels={
        "en": [
            "Improve the model for everyone",
            "Improve the model for everyone.",
            "Improve the models for everyone",
            "Help improve the model for everyone",
        ]
    },
    question={"en": "When this is on, what you write in ChatGPT may be used to train future models."},
    site="chatgpt",
    back="/",
)

CHATGPT_DECOYS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("includeAudioRecordings", "Include your audio recordings"),
        ("includeVideoRecordings", "Include your video recordings"),
        ("improveMemoryForYou", "Improve answers for you with your chat history"),
    ]
}

X_DECOYS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("allowGrokPersonalization", "Allow X to personalize your experience with Grok"),
        ("allowGrokDataSharing", "Allow Grok to use your interactions to improve your experience"),
        ("allowPersonalizedAds", "Personalize ads based on your activity"),
    ],
    "fr": [
        ("allowGrokPersonalization", "Autoriser X à personnaliser votre expérience avec Grok"),
        (
            "allowGrokDataSharing",
            "Autoriser Grok à utiliser vos interactions pour améliorer votre expérience",
        ),
    ],
}

# Settings of similar wording that may sit on the same page; changing one of them is harmful.
# Language -> (key, name). Keys are the fake's; names are ours.
DECOYS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("allowAiWritingAssistant", "Use AI to help me write posts and messages"),
        ("allowGenerativeAiFeatures", "Show me content created with generative AI"),
        ("allowDataForAdsPersonalization", "Use my data to personalise ads"),
        ("allowAiProfileSuggestions", "Use my profile data for AI-powered suggestions"),
        ("allowDataForAiFeatures", "Use my data to personalise AI features for me"),
    ],
    "fr": [
        ("allowAiWritingAssistant", "Utiliser l’IA pour m’aider à rédiger des posts et des messages"),
        ("allowGenerativeAiFeatures", "Afficher du contenu créé par l’IA générative"),
        ("allowDataForAdsPersonalization", "Utiliser mes données pour personnaliser les publicités"),
        ("allowDataForAiFeatures", "Utiliser mes données pour personnaliser les fonctionnalités d’IA"),
    ],
    "de": [
        ("allowAiWritingAssistant", "KI beim Schreiben von Beiträgen und Nachrichten verwenden"),
        ("allowGenerativeAiFeatures", "Mit generativer KI erstellte Inhalte anzeigen"),
        ("allowDataForAdsPersonalization", "Meine Daten zur Personalisierung von Anzeigen verwenden"),
        ("allowDataForAiFeatures", "Meine Daten zur Personalisierung von KI-Funktionen verwenden"),
    ],
    "es": [
        ("allowAiWritingAssistant", "Usar la IA para ayudarme a escribir publicaciones y mensajes"),
        ("allowGenerativeAiFeatures", "Mostrarme contenido creado con IA generativa"),
        ("allowDataForAdsPersonalization", "Usar mis datos para personalizar anuncios"),
        ("allowDataForAiFeatures", "Usar mis datos para personalizar las funciones de IA"),
    ],
    "it": [
        ("allowAiWritingAssistant", "Usa l’IA per aiutarmi a scrivere post e messaggi"),
        ("allowGenerativeAiFeatures", "Mostrami contenuti creati con l’IA generativa"),
        ("allowDataForAdsPersonalization", "Usa i miei dati per personalizzare gli annunci"),
        ("allowDataForAiFeatures", "Usa i miei dati per personalizzare le funzionalità di IA"),
    ],
    "nl": [
        ("allowAiWritingAssistant", "AI gebruiken om me te helpen berichten te schrijven"),
        ("allowGenerativeAiFeatures", "Content tonen die met generatieve AI is gemaakt"),
        ("allowDataForAdsPersonalization", "Mijn gegevens gebruiken om advertenties te personaliseren"),
        ("allowDataForAiFeatures", "Mijn gegevens gebruiken om AI-functies te personaliseren"),
    ],
    "pt": [
        ("allowAiWritingAssistant", "Usar IA para me ajudar a escrever publicações e mensagens"),
        ("allowGenerativeAiFeatures", "Mostrar conteúdo criado com IA generativa"),
        ("allowDataForAdsPersonalization", "Usar meus dados para personalizar anúncios"),
        ("allowDataForAiFeatures", "Usar meus dados para personalizar recursos de IA"),
    ],
}

NOT_AVAILABLE: dict[str, list[str]] = {
    "en": [
        "This setting isn’t available for your account.",
        "This setting is not available for your account",
        "This feature isn't available for your account right now.",
    ],
    "fr": ["Ce paramètre n’est pas disponible pour votre compte.", "Ce paramètre n'est pas disponible."],
    "de": ["Diese Einstellung ist für Ihr Konto nicht verfügbar.", "Diese Einstellung ist nicht verfügbar."],
    "es": ["Esta configuración no está disponible para tu cuenta.", "Este ajuste no está disponible."],
    "it": ["Questa impostazione non è disponibile per il tuo account.", "Impostazione non disponibile."],
    "nl": ["Deze instelling is niet beschikbaar voor je account.", "Deze instelling is niet beschikbaar."],
    "pt": ["Esta configuração não está disponível para sua conta.", "Esta definição não está disponível."],
}

STATE_WORDS: dict[str, tuple[str, str]] = {
    "en": ("On", "Off"),
    "fr": ("Oui", "Non"),
    "de": ("Ein", "Aus"),
    "es": ("Sí", "No"),
    "it": ("Sì", "No"),
    "nl": ("Aan", "Uit"),
    "pt": ("Ativado", "Desativado"),
}


@dataclass(frozen=True)
class ObstacleWords:
    """Texts of the things that stand in the way, in one language."""

    cookie_text: str
    accept: list[str]
    reject: list[str]
    promo_title: str
    promo_offer: str
    """The button that would accept the promotion: never to be clicked."""
    dismiss: list[str]
    tour_title: str
    skip: list[str]
    next: str


OBSTACLES: dict[str, ObstacleWords] = {
    "en": ObstacleWords(
        "We use cookies to improve your experience and show you relevant ads.",
        ["Accept", "Accept all cookies", "Agree"],
        ["Reject", "Reject all", "Only essential cookies"],
        "Try Premium free for 1 month",
        "Start my free month",
        ["Dismiss", "Close", "Not now"],
        "Welcome to your new settings",
        ["Skip", "Skip tour"],
        "Next",
    ),
    "fr": ObstacleWords(
        "Nous utilisons des cookies pour améliorer votre expérience.",
        ["Accepter", "Tout accepter"],
        ["Refuser", "Tout refuser", "Continuer sans accepter"],
        "Essayez Premium gratuitement pendant 1 mois",
        "Commencer mon mois gratuit",
        ["Fermer", "Ignorer", "Pas maintenant"],
        "Bienvenue dans vos nouveaux paramètres",
        ["Passer", "Ignorer la visite"],
        "Suivant",
    ),
    "de": ObstacleWords(
        "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern.",
        ["Akzeptieren", "Alle akzeptieren"],
        ["Ablehnen", "Alle ablehnen", "Nur notwendige Cookies"],
        "Premium 1 Monat kostenlos testen",
        "Gratismonat starten",
        ["Schließen", "Nicht jetzt"],
        "Willkommen in Ihren neuen Einstellungen",
        ["Überspringen"],
        "Weiter",
    ),
    "es": ObstacleWords(
        "Usamos cookies para mejorar tu experiencia.",
        ["Aceptar", "Aceptar todo"],
        ["Rechazar", "Rechazar todo", "Solo esenciales"],
        "Prueba Premium gratis durante 1 mes",
        "Empezar mi mes gratis",
        ["Cerrar", "Ahora no", "Descartar"],
        "Te damos la bienvenida a tu nueva configuración",
        ["Omitir", "Saltar"],
        "Siguiente",
    ),
    "it": ObstacleWords(
        "Utilizziamo i cookie per migliorare la tua esperienza.",
        ["Accetta", "Accetta tutto"],
        ["Rifiuta", "Rifiuta tutto", "Solo essenziali"],
        "Prova Premium gratis per 1 mese",
        "Inizia il mio mese gratuito",
        ["Chiudi", "Non ora"],
        "Benvenuto nelle nuove impostazioni",
        ["Salta"],
        "Avanti",
    ),
    "nl": ObstacleWords(
        "We gebruiken cookies om je ervaring te verbeteren.",
        ["Accepteren", "Alles accepteren"],
        ["Weigeren", "Alles weigeren", "Alleen noodzakelijke"],
        "Probeer Premium 1 maand gratis",
        "Start mijn gratis maand",
        ["Sluiten", "Niet nu"],
        "Welkom bij je nieuwe instellingen",
        ["Overslaan"],
        "Volgende",
    ),
    "pt": ObstacleWords(
        "Usamos cookies para melhorar a sua experiência.",
        ["Aceitar", "Aceitar tudo"],
        ["Rejeitar", "Recusar tudo", "Apenas essenciais"],
        "Experimente o Premium grátis por 1 mês",
        "Começar meu mês grátis",
        ["Fechar", "Agora não", "Dispensar"],
        "Boas-vindas às suas novas configurações",
        ["Pular"],
        "Próximo",
    ),
}
