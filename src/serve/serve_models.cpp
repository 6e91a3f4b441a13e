#include "serve/server.hpp"

namespace emo::serve {

ServeModels ServeModels::load_default(unsigned face_threads) {
    ServeModels models;
    models.conversation = Model::load(Model::default_directory());
    models.causes = CauseModel::load(CauseModel::default_directory());
    models.text = TextModel::load(TextModel::default_emotion_directory(), TextModel::default_vad_directory());
    models.speech = SpeechModel::load(SpeechModel::default_directory());
    models.faces = FaceModel::load(FaceModel::default_directory(), face_threads);
    return models;
}

std::vector<std::string> ServeModels::loaded() const {
    std::vector<std::string> names;
    if (conversation) names.push_back("conversation");
    if (causes) names.push_back("causes");
    if (text) names.push_back("text");
    if (speech) names.push_back("speech");
    if (faces) names.push_back("faces");
    return names;
}

}  // namespace emo::serve
