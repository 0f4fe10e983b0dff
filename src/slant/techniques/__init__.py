"""The propaganda technique detector: the 14 techniques of SemEval-2020 Task 11 (PTC), with one-line definitions.

The names are exactly the corpus labels, so predictions round-trip through PTC TSV files; the report
views reuse the definitions to explain each finding. The runtime lives in `model` (onnxruntime, numpy), span
decoding in `spans`, actor masking in `actor_blind`; training in `slant.train.techniques`.
"""

from types import MappingProxyType

#: technique name (as in the PTC corpus) -> one-line definition, in the corpus' alphabetical order.
DEFINITIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "Appeal_to_Authority": "Claims something is true because an authority says so, without other evidence.",
        "Appeal_to_fear-prejudice": "Builds support for an idea by stoking anxiety or panic about an alternative.",
        "Bandwagon,Reductio_ad_hitlerum": "Urges joining the crowd, or rejects an idea because a hated group holds it.",
        "Black-and-White_Fallacy": "Presents two options as the only possibilities when more exist.",
        "Causal_Oversimplification": "Assigns a single cause to an issue that has many.",
        "Doubt": "Questions the credibility of someone or something.",
        "Exaggeration,Minimisation": "Makes something seem larger or worse, or smaller and less important, than it is.",
        "Flag-Waving": "Appeals to group or national pride to justify an idea or action.",
        "Loaded_Language": "Uses words with strong emotional implications to sway the reader.",
        "Name_Calling,Labeling": "Labels a person or group with something the audience fears, hates or admires.",
        "Repetition": "Repeats the same message over and over so the audience accepts it.",
        "Slogans": "A brief, striking phrase that acts as an emotional appeal.",
        "Thought-terminating_Cliches": "A short, generic phrase that discourages critical thought and discussion.",
        "Whataboutism,Straw_Men,Red_Herring": "Deflects criticism by charging hypocrisy, distorting the opposing view, "
        "or changing the subject.",
    }
)

#: The technique names in label-index order (the order of the model's outputs).
TECHNIQUES: tuple[str, ...] = tuple(DEFINITIONS)
