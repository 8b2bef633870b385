"""The accessibility statement, in French and English, as seed_site publishes it.

Editors own it after the first publish only in the sense that seed_site rewrites it when this
text changes; it states what the project's automated checks actually verify (tests/pages.py).
"""

ACCESSIBILITY_STATEMENT = {
    "title": {"fr": "Déclaration d'accessibilité", "en": "Accessibility statement"},
    "slug": {"fr": "accessibilite", "en": "accessibility"},
    "search_description": {
        "fr": (
            "Le niveau d'accessibilité visé par le site « Ordre de protéger », ce qui est vérifié "
            "et comment signaler un problème."
        ),
        "en": (
            "The accessibility target of the « Ordre de protéger » site, what is checked and how to report a problem."
        ),
    },
    "intro": {
        "fr": (
            "Tout le monde doit pouvoir trouver l'ordre d'un professionnel et savoir comment porter plainte, "
            "y compris avec un lecteur d'écran, au clavier seulement ou sur un petit téléphone."
        ),
        "en": (
            "Everyone must be able to find a professional's order and learn how to complain, "
            "including with a screen reader, with a keyboard only or on a small phone."
        ),
    },
    "body": {
        "fr": [
            ("heading", "Notre objectif"),
            (
                "paragraph",
                "<p>Le site vise la conformité au standard sur l'accessibilité des sites Web du gouvernement du "
                "Québec (SGQRI 008 3.0). Ce standard reprend les Règles pour l'accessibilité des contenus Web "
                "(WCAG) 2.1, niveau AA, et certains critères des WCAG 2.2.</p>",
            ),
            ("heading", "Ce que nous vérifions, et comment"),
            (
                "paragraph",
                "<p>À chaque modification du site, des tests automatisés vérifient chaque type de page, en "
                "français et en anglais :</p>"
                "<ul>"
                "<li>les règles WCAG 2.1 A et AA (et les règles WCAG 2.2 AA) de l'outil axe-core, dans un vrai "
                "navigateur : contrastes, noms des liens et des boutons, étiquettes des champs, langue des "
                "passages, ordre des titres, zones de la page ;</li>"
                "<li>la validité du code HTML, avec le validateur du W3C et html-validate ;</li>"
                "<li>l'accessibilité, les bonnes pratiques et la performance avec Lighthouse, en simulant un "
                "téléphone sur une connexion lente.</li>"
                "</ul>",
            ),
            (
                "paragraph",
                "<p>Le site est aussi conçu pour :</p>"
                "<ul>"
                "<li>se parcourir entièrement au clavier, avec un lien pour passer au contenu et un repère "
                "visible sur l'élément actif ;</li>"
                "<li>fonctionner sans JavaScript : les filtres, la recherche et les questions-réponses sont "
                "de simples formulaires et éléments HTML ;</li>"
                "<li>s'afficher sans défilement horizontal dès 320 pixels de large et avec un zoom "
                "de 200 % ;</li>"
                "<li>respecter le réglage « réduire les animations » de votre appareil ;</li>"
                "<li>s'imprimer proprement.</li>"
                "</ul>",
            ),
            ("heading", "Limites connues"),
            (
                "paragraph",
                "<ul>"
                "<li>Les tests automatisés ne trouvent qu'une partie des problèmes possibles. Le site n'a pas "
                "encore fait l'objet d'un audit complet par des spécialistes avec des technologies "
                "d'assistance.</li>"
                "<li>Les liens vers les sites des ordres professionnels mènent à des sites que nous ne "
                "contrôlons pas ; leur accessibilité peut varier.</li>"
                "</ul>",
            ),
            ("heading", "Signaler un problème"),
            (
                "paragraph",
                "<p>Si une page ou un contenu vous pose problème, écrivez à l'équipe de la campagne "
                '« Ordre de protéger » au moyen de la page <a href="page:contact">Nous joindre</a>. '
                "Indiquez l'adresse de la page, ce que vous cherchiez à faire et, si possible, le navigateur "
                "ou l'aide technique utilisés (lecteur d'écran, loupe…).</p>"
                "<p>Pour une démarche auprès d'un ordre, comme une plainte, adressez-vous directement à cet "
                "ordre : le lien vers son site figure sur sa page dans le répertoire.</p>",
            ),
        ],
        "en": [
            ("heading", "Our target"),
            (
                "paragraph",
                "<p>The site aims to conform to the Québec government's standard on the accessibility of "
                "websites (SGQRI 008 3.0). This standard adopts the Web Content Accessibility Guidelines "
                "(WCAG) 2.1, level AA, and some criteria of WCAG 2.2.</p>",
            ),
            ("heading", "What we check, and how"),
            (
                "paragraph",
                "<p>Every time the site changes, automated tests check each type of page, in French and in "
                "English:</p>"
                "<ul>"
                "<li>the WCAG 2.1 A and AA rules (and the WCAG 2.2 AA rules) of the axe-core tool, in a real "
                "browser: contrast, names of links and buttons, form labels, language of passages, heading "
                "order, page regions;</li>"
                "<li>HTML validity, with the W3C validator and html-validate;</li>"
                "<li>accessibility, best practices and performance with Lighthouse, simulating a phone on a "
                "slow connection.</li>"
                "</ul>",
            ),
            (
                "paragraph",
                "<p>The site is also designed to:</p>"
                "<ul>"
                "<li>be fully usable with a keyboard, with a link to skip to the content and a visible "
                "marker on the active element;</li>"
                "<li>work without JavaScript: filters, search and questions and answers are plain HTML "
                "forms and elements;</li>"
                "<li>display without horizontal scrolling from 320 pixels wide and at 200% zoom;</li>"
                "<li>follow your device's “reduce motion” setting;</li>"
                "<li>print cleanly.</li>"
                "</ul>",
            ),
            ("heading", "Known limitations"),
            (
                "paragraph",
                "<ul>"
                "<li>Automated tests find only some of the possible problems. The site has not yet been "
                "fully audited by specialists using assistive technologies.</li>"
                "<li>The official names of the orders and the reserved titles stay in French on the English "
                "pages, as the law writes them; they are marked as French so that screen readers pronounce "
                "them correctly.</li>"
                "<li>Links to the professional orders' websites lead to sites we do not control; their "
                "accessibility may vary.</li>"
                "</ul>",
            ),
            ("heading", "Report a problem"),
            (
                "paragraph",
                "<p>If a page or some content is a problem for you, write to the « Ordre de protéger » "
                'campaign team through the <a href="page:contact">Contact us</a> page. Give the '
                "address of the page, what you were trying to do and, if you can, the browser or assistive "
                "technology you used (screen reader, magnifier…).</p>"
                "<p>For a step with an order, such as a complaint, contact that order directly: the link to its "
                "website is on its page in the directory.</p>",
            ),
        ],
    },
}
