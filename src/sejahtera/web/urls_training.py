"""BLK training pages: courses, batches, selection, attendance, certificates (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import training, training_batch, training_internships

urlpatterns = [
    path("blk/", training.course_list, name="training_course_list"),
    path("blk/kursus/baru/", training.course_create, name="training_course_create"),
    path("blk/kursus/<int:pk>/", training.course_detail, name="training_course_detail"),
    path("blk/kursus/<int:pk>/ubah/", training.course_edit, name="training_course_edit"),
    path("blk/kursus/<int:pk>/angkatan/baru/", training.batch_create, name="training_batch_create"),
    path("blk/angkatan/<int:pk>/", training_batch.batch_detail, name="training_batch_detail"),
    path("blk/angkatan/<int:pk>/langkah/<slug:step>/", training.batch_step, name="training_batch_step"),
    path("blk/angkatan/<int:pk>/seleksi/", training_batch.batch_select, name="training_batch_select"),
    path("blk/angkatan/<int:pk>/pendaftar/", training_batch.trainee_add, name="training_trainee_add"),
    path("blk/angkatan/<int:pk>/absensi/", training_batch.attendance, name="training_attendance"),
    path("blk/angkatan/<int:pk>/penempatan/", training_batch.batch_placements, name="training_batch_placements"),
    path("blk/peserta/<int:pk>/selesai/", training_batch.trainee_complete, name="training_trainee_complete"),
    path("blk/peserta/<int:pk>/keluar/", training_batch.trainee_drop, name="training_trainee_drop"),
    path("blk/magang/", training_internships.slot_list, name="training_slot_list"),
    path("blk/magang/baru/", training_internships.slot_create, name="training_slot_create"),
    path("blk/magang/<int:pk>/", training_internships.slot_detail, name="training_slot_detail"),
    path("blk/magang/<int:pk>/peserta/", training_internships.intern_assign, name="training_intern_assign"),
    path("blk/magang/peserta/<int:pk>/<slug:step>/", training_internships.intern_step, name="training_intern_step"),
]
