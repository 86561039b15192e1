from django.contrib import admin

from initiatives import models


class SectionPointInline(admin.TabularInline):
    model = models.SectionPoint
    extra = 0


class FootnoteInline(admin.TabularInline):
    model = models.Footnote
    extra = 0


class FigurePanelInline(admin.StackedInline):
    model = models.FigurePanel
    extra = 0


@admin.register(models.Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["label", "title"]


@admin.register(models.ReportSection)
class ReportSectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    inlines = [SectionPointInline, FootnoteInline, FigurePanelInline]


class FocusAreaInline(admin.TabularInline):
    model = models.FocusArea
    extra = 0


@admin.register(models.Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "title_en"]
    inlines = [FocusAreaInline]


class MeasureInline(admin.TabularInline):
    model = models.Measure
    extra = 0


@admin.register(models.FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "vision", "position"]
    list_filter = ["vision"]
    inlines = [MeasureInline]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["title", "focus_area", "fiscal_year", "ongoing"]
    list_filter = ["focus_area__vision", "fiscal_year"]
    search_fields = ["title"]


class AimInline(admin.StackedInline):
    model = models.Aim
    extra = 0


class PillarInline(admin.TabularInline):
    model = models.Pillar
    extra = 0


class PracticalInitiativeInline(admin.TabularInline):
    model = models.PracticalInitiative
    extra = 0


@admin.register(models.ReformPlan)
class ReformPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "subtitle", "starts_on", "duration_years"]
    inlines = [AimInline, PillarInline, PracticalInitiativeInline]


@admin.register(models.Aim)
class AimAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "parent", "number"]


class PillarItemInline(admin.TabularInline):
    model = models.PillarItem
    extra = 0


@admin.register(models.Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    inlines = [PillarItemInline]


@admin.register(models.PillarItem)
class PillarItemAdmin(admin.ModelAdmin):
    list_display = ["text", "pillar", "position"]
    list_filter = ["pillar"]


@admin.register(models.PracticalInitiative)
class PracticalInitiativeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "pillar_item"]


class OrganisationalChangeInline(admin.TabularInline):
    model = models.OrganisationalChange
    extra = 0


@admin.register(models.CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "vision", "focus_area"]
    inlines = [OrganisationalChangeInline]


@admin.register(models.OrganisationalChange)
class OrganisationalChangeAdmin(admin.ModelAdmin):
    list_display = ["text", "case_study", "fiscal_year"]


class InitiativePointInline(admin.TabularInline):
    model = models.InitiativePoint
    extra = 0


class PhotoInline(admin.TabularInline):
    model = models.Photo
    extra = 0


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "ward", "case_study", "status", "published_at"]
    list_filter = ["ward", "case_study__vision", "case_study", "status"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["departments"]
    inlines = [InitiativePointInline, PhotoInline]


@admin.register(models.Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["caption", "initiative"]


@admin.register(models.SectionPoint)
class SectionPointAdmin(admin.ModelAdmin):
    list_display = ["text", "section", "part", "position"]
    list_filter = ["section", "part"]


@admin.register(models.Footnote)
class FootnoteAdmin(admin.ModelAdmin):
    list_display = ["marker", "text", "section"]


@admin.register(models.FigurePanel)
class FigurePanelAdmin(admin.ModelAdmin):
    list_display = ["heading", "section", "position"]


@admin.register(models.InitiativePoint)
class InitiativePointAdmin(admin.ModelAdmin):
    list_display = ["text", "initiative", "part", "position"]
    list_filter = ["part"]
