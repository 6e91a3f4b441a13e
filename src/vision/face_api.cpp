// FaceModel: decoding, detection, crops and expression for images (video frames: face_video.cpp).
#include "emo/faces.hpp"
#include "io/image.hpp"
#include "nn/dense_layer.hpp"
#include "vision/face_analysis.hpp"

#include <omp.h>

#include <cstdlib>
#include <fstream>

namespace emo {

FaceModel::FaceModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FaceModel::FaceModel(FaceModel&&) noexcept = default;
FaceModel& FaceModel::operator=(FaceModel&&) noexcept = default;
FaceModel::~FaceModel() = default;

FaceModel FaceModel::load(const std::string& directory, unsigned threads) {
    nn::set_threads(face_threads(threads));
    return FaceModel(std::make_unique<Impl>(directory));
}

std::string FaceModel::default_directory() {
    if (const char* env = std::getenv("EMO_FACE_MODEL_DIR"); env && *env) return env;
#ifdef EMO_MODELS_DIR
    return std::string(EMO_MODELS_DIR) + "/faces";
#else
    return "models/faces";
#endif
}

const std::vector<std::string>& FaceModel::labels() const { return impl_->expression.labels(); }

std::vector<FaceResult> FaceModel::analyze(const std::vector<std::string>& image_paths,
                                           const FaceOptions& options) const {
    std::vector<FaceResult> results(image_paths.size());
    const int threads = face_threads(options.threads);
    io::ImageReadOptions read;
    read.max_pixels = options.max_pixels;
    // One image: its convolutions use every thread. Several: one image per thread, each run on one core, which
    // keeps every core busy without the small convolutions' fork-join costs.
    nn::set_threads(threads);
    const int workers = image_paths.size() > 1 ? threads : 1;
    std::vector<nn::TfjsRunContext> contexts(static_cast<std::size_t>(workers));
#pragma omp parallel for num_threads(workers) schedule(dynamic) if (workers > 1)
    for (std::size_t i = 0; i < image_paths.size(); ++i) {
        FaceResult& r = results[i];
        r.file = image_paths[i];
        try {
            const io::Image image = io::read_image(image_paths[i], read);
            r.width = image.width, r.height = image.height;
            r.faces = impl_->faces(image, options, contexts[static_cast<std::size_t>(omp_get_thread_num())]);
        } catch (const std::exception& e) {
            r.faces.clear();
            r.error = e.what();
        }
    }
    return results;
}

FaceResult FaceModel::analyze_rgb(const std::uint8_t* rgb, int width, int height, const std::string& name,
                                  const FaceOptions& options) const {
    FaceResult r;
    r.file = name;
    if (width <= 0 || height <= 0 || !rgb) {
        r.error = name + ": an empty image";
        return r;
    }
    if (static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height) > options.max_pixels) {
        r.error = name + ": " + std::to_string(width) + "x" + std::to_string(height) + " pixels is over the limit of " +
                  std::to_string(options.max_pixels);
        return r;
    }
    io::Image image{width, height, std::vector<std::uint8_t>(rgb, rgb + static_cast<std::size_t>(width) * height * 3)};
    r.width = width, r.height = height;
    nn::set_threads(face_threads(options.threads));
    // One context per thread for the thread's life: callers such as the server's workers call this once an image,
    // and the executor's buffers (bounded by the models' tensors) are then reused rather than allocated anew.
    thread_local nn::TfjsRunContext context;
    try {
        r.faces = impl_->faces(image, options, context);
    } catch (const std::exception& e) {
        r.error = e.what();
    }
    return r;
}

bool is_image_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[16] = {};
    in.read(head, sizeof head);
    return !io::image_format(reinterpret_cast<const std::uint8_t*>(head), static_cast<std::size_t>(in.gcount()))
                .empty();
}

}  // namespace emo
