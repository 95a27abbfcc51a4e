import ArgumentParser
import VisageGallery

extension SearchIndexKind: ExpressibleByArgument {}

/// The FAISS indexes' tuning: IVF cells and probes, HNSW links and candidate lists.
struct SearchTuningOptions: ParsableArguments {
    @Option(help: "IVF: k-means cells (default √N).")
    var nlist: Int?

    @Option(help: "IVF: cells scanned per query (default nlist/16, at least 1).")
    var nprobe: Int?

    @Option(name: .customLong("hnsw-m"), help: "HNSW: links per node.")
    var hnswM = SearchIndexParameters().m

    @Option(help: "HNSW: candidates kept while inserting.")
    var efConstruction = SearchIndexParameters().efConstruction

    @Option(help: "HNSW: candidates kept while searching.")
    var efSearch = SearchIndexParameters().efSearch

    var parameters: SearchIndexParameters {
        SearchIndexParameters(nlist: nlist, nprobe: nprobe, m: hnswM, efConstruction: efConstruction, efSearch: efSearch)
    }
}

/// How `identify` and `serve` search the gallery: the index kind (default: chosen by the gallery's size) and its
/// tuning.
struct SearchIndexOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Search index: exact (one matrix product), or FAISS's flat, ivf or hnsw; default exact up to "
                               + "\(SearchIndexKind.automaticExactLimit) templates, hnsw above."))
    var index: SearchIndexKind?

    @OptionGroup var tuning: SearchTuningOptions

    /// The index over `templates` of `engine`.
    func build(engine: String, templates: [StoredTemplate]) throws -> any TemplateSearch {
        try TemplateSearchIndex.build(index, engine: engine, templates: templates, parameters: tuning.parameters)
    }
}
